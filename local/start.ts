import { readMaxContainers } from "./max-containers.js";
import { readLocalWebhook } from "./order-webhook.js";
import { startLocalStack } from "./stack.js";

/**
 * `npm start`: the whole product on this machine, no AWS account and no bank
 * credentials. Stays in the foreground; Ctrl-C / SIGTERM stops everything it started.
 * A problem (no Java, a busy port, a part that dies) is one line, and everything else
 * is shut down.
 */

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65_535)
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

/**
 * Where the order events go. A generated signing secret is printed (the shop's receiver
 * needs it, and it is this run's only); one from ORDER_WEBHOOK_SECRET never is.
 */
function orderEvents(webhook: ReturnType<typeof readLocalWebhook>): string {
  if (!webhook) return "one [events] line each (set ORDER_WEBHOOK_URL to have them POSTed)";
  const secret = webhook.generated
    ? `signed with ${webhook.secret}, generated for this run; set ORDER_WEBHOOK_SECRET to keep one`
    : "signed with ORDER_WEBHOOK_SECRET";
  return `POSTed to ${webhook.url}   (Standard Webhooks, ${secret})`;
}

async function main(): Promise<void> {
  const orderWebhook = readLocalWebhook(process.env);
  const stack = await startLocalStack({
    apiPort: port("PORT", 3000),
    sandboxPort: port("BOG_SANDBOX_PORT", 3100),
    dynamodbPort: port("DYNAMODB_PORT", 8000),
    shopOrigins: (process.env.SHOP_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    callbackPublicKey: process.env.BOG_CALLBACK_PUBLIC_KEY || undefined,
    ...(orderWebhook ? { orderWebhook } : {}),
    maxContainers: readMaxContainers(process.env),
    log: (line) => console.log(line),
  });
  // The handlers go in before the ready line: whoever reads that line may signal at once.
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`npm start: ${reason}; stopping`);
    await stack.stop().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop("SIGINT", 0));
  process.on("SIGTERM", () => void stop("SIGTERM", 0));
  void stack.died.then((reason) => {
    console.error(`npm start: ${reason}`);
    void stop("a part stopped", 1);
  });

  console.log(`
BoG payments, locally:
  demo shop        ${stack.apiUrl}/
  API              ${stack.apiUrl}   (GET /products, POST /orders, GET /orders/{orderId}, POST /callback)
  merchant API     ${stack.apiUrl}/merchant/orders   (no IAM here: loopback only; IAM-signed in AWS)
  back office      ${stack.apiUrl}/merchant   (the merchant API in a page; local only)
  API reference    ${stack.apiUrl}/docs   (openapi.yaml rendered; GET /openapi.json is its public part)
  BoG sandbox      ${stack.sandbox.url}   (client id "${stack.sandbox.clientId}", secret "${stack.sandbox.clientSecret}")
  DynamoDB Local   ${stack.dynamodbUrl}   (tables orders, bank-token, catalog; in memory)
  order events     ${orderEvents(orderWebhook)}
Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
