import type { FunctionName } from "../../infra/bundling.js";

/**
 * Each function's environment as the stack sets it (infra/payments-stack.ts and
 * friends), with dummy names for what CloudFormation fills in, plus what Lambda itself
 * sets. Nothing here reaches AWS: the functions make no call at import.
 */

const LAMBDA = {
  AWS_REGION: "eu-central-1",
  AWS_DEFAULT_REGION: "eu-central-1",
  AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
  AWS_ACCESS_KEY_ID: "ASIABENCHBENCHBENCH0",
  AWS_SECRET_ACCESS_KEY: "bench-secret-access-key",
  AWS_SESSION_TOKEN: "bench-session-token",
  TZ: ":UTC",
};

const TABLES = {
  ORDERS_TABLE: "bench-orders",
  CATALOG_TABLE: "bench-catalog",
  BANK_TOKEN_TABLE: "bench-bank-token",
};
const BANK = { ...TABLES, BOG_ENVIRONMENT: "production", BOG_CREDENTIALS_SECRET_ID: "bench/bog" };
const ORDERS = {
  ...BANK,
  CALLBACK_URL: "https://bench.lambda-url.eu-central-1.on.aws/",
  CAPTURE_MODE: "automatic",
};

const OWN: Record<FunctionName | "anchor", Record<string, string>> = {
  "list-products": TABLES,
  "create-order": ORDERS,
  "get-status": BANK,
  callback: BANK,
  merchant: ORDERS,
  reconcile: BANK,
  "order-events": { ORDER_EVENT_BUS_NAME: "bench-bus" },
  "webhook-sender": {
    WEBHOOK_URL: "https://shop.example/bog-events",
    WEBHOOK_SECRET_ID: "bench/webhook",
    WEBHOOK_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/123456789012/bench-webhook",
    WEBHOOK_DEAD_LETTER_QUEUE_URL:
      "https://sqs.eu-central-1.amazonaws.com/123456789012/bench-webhook-dlq",
  },
  anchor: { ...TABLES, SECRET_ID: "bench/bog" },
};

export function functionEnv(name: FunctionName | "anchor"): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    ...LAMBDA,
    AWS_LAMBDA_FUNCTION_NAME: `bench-${name}`,
    POWERTOOLS_SERVICE_NAME: name,
    POWERTOOLS_LOG_LEVEL: "INFO",
    ...OWN[name],
  };
}
