import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type RunningSandbox, startSandbox } from "bog-sandbox";
import { createDocumentClient } from "../lib/dynamo/client.js";
import { ensureTable } from "../lib/dynamo/create-tables.js";
import { BANK_TOKEN_TABLE, CATALOG_TABLE, ORDERS_TABLE } from "../lib/dynamo/tables.js";
import { CatalogStore } from "../lib/orders/checkout/catalog.js";
import { parseCatalogFile } from "../lib/orders/checkout/catalog-file.js";
import { keyOf } from "../lib/webhooks/signing-secrets.js";
import { createApiServer, type Functions } from "./api-server.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local.js";
import { startFunctions } from "./function-containers.js";
import { lambdaContext } from "./lambda-events.js";
import { DEFAULT_MAX_CONTAINERS } from "./max-containers.js";
import { type OrderStream, startOrderStream } from "./order-stream.js";
import { createLocalOrderBus, type LocalOrderBus, type LocalWebhook } from "./order-webhook.js";
import { assertPortFree } from "./ports.js";
import { readReconcileIntervalMs, startReconcileLoop } from "./reconcile-loop.js";
import { startWebhookOutbox } from "./webhook-outbox.js";

/**
 * The whole product on this machine: DynamoDB Local (in memory, tables from the
 * shared definitions, the demo catalog seeded), the BoG sandbox, and the functions
 * behind a local API server, configured the way the stack configures them in AWS.
 * Started by `npm start`, and by the end-to-end tests.
 */

export interface LocalStackOptions {
  apiPort: number;
  sandboxPort: number;
  dynamodbPort: number;
  /** Browser origins allowed by CORS besides the API's own. */
  shopOrigins?: string[];
  /** PEM text or a path: verify callbacks with this key instead of the sandbox's. */
  callbackPublicKey?: string;
  /** Where each order event is POSTed (ORDER_WEBHOOK_URL); events are logged either way. */
  orderWebhook?: LocalWebhook;
  /** Containers per API function at most (LOCAL_MAX_CONTAINERS); default 10. */
  maxContainers?: number;
  log?: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  sandbox: RunningSandbox;
  dynamodbUrl: string;
  /** The order events' local bus (the stack's EventBridge bus and webhook rule). */
  orderEvents: LocalOrderBus;
  /** The API's functions, each a pool of containers. */
  functions: Functions;
  /** Settles with a reason if a part stops by itself. */
  died: Promise<string>;
  stop(): Promise<void>;
}

export const LOCAL_TABLES = {
  orders: "orders",
  bankToken: "bank-token",
  catalog: "catalog",
} as const;

const HERE = dirname(fileURLToPath(import.meta.url));

async function seed(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(client, ORDERS_TABLE, LOCAL_TABLES.orders);
  await ensureTable(client, BANK_TOKEN_TABLE, LOCAL_TABLES.bankToken);
  await ensureTable(client, CATALOG_TABLE, LOCAL_TABLES.catalog);
  client.destroy();
  const { items, problems } = parseCatalogFile(
    readFileSync(join(HERE, "demo-catalog.json"), "utf8"),
  );
  if (problems.length > 0) throw new Error(`the demo catalog is invalid: ${problems.join("; ")}`);
  const doc = createDocumentClient(endpoint);
  await new CatalogStore(doc, LOCAL_TABLES.catalog).putMany(items);
  doc.destroy();
}

/**
 * The order events as in AWS: the orders table's stream, read as the event source
 * mapping reads it, into the same order-events handler, publishing to a local bus
 * that logs each event and delivers it to the webhook. One container: the stream is
 * read one batch at a time, as one shard is in AWS.
 */
async function startOrderEvents(
  endpoint: string,
  bus: LocalOrderBus,
  log: (line: string) => void,
): Promise<OrderStream> {
  const [{ orderEventsHandler }, { createLogger }] = await Promise.all([
    import("../functions/order-events/app.js"),
    import("../lib/log.js"),
  ]);
  const handler = orderEventsHandler({ publish: bus.publish, log: createLogger("order-events") });
  return startOrderStream({
    endpoint,
    tableName: LOCAL_TABLES.orders,
    handler: (event) => handler(event, lambdaContext("order-events")),
    log,
  });
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  await assertPortFree(options.apiPort, "PORT");
  await assertPortFree(options.sandboxPort, "BOG_SANDBOX_PORT");
  await assertPortFree(options.dynamodbPort, "DYNAMODB_PORT");

  let dynamodb: DynamoDbLocal | undefined;
  let sandbox: RunningSandbox | undefined;
  let server: Server | undefined;
  let sweep: { stop(): Promise<void> } | undefined;
  let orderStream: OrderStream | undefined;
  let orderEvents: LocalOrderBus | undefined;
  const stop = async () => {
    await sweep?.stop();
    await orderStream?.stop();
    await orderEvents?.stop();
    await new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
    await sandbox?.stop();
    await dynamodb?.stop();
  };

  try {
    dynamodb = await startDynamoDbLocal(options.dynamodbPort);
    await seed(dynamodb.endpoint);
    const hook = options.orderWebhook;
    const eventLog = (line: string) => log(`[events] ${line}`);
    orderEvents = createLocalOrderBus({
      ...(hook
        ? {
            webhook: {
              url: hook.url,
              outbox: await startWebhookOutbox({
                endpoint: dynamodb.endpoint,
                send: { url: hook.url, keys: [keyOf(hook.secret)], retryScale: hook.retryScale },
                log: eventLog,
              }),
            },
          }
        : {}),
      log: eventLog,
    });
    const bus = orderEvents;
    sandbox = await startSandbox({
      port: options.sandboxPort,
      log: (line) => log(`[bog-sandbox] ${line}`),
    });

    // Filled in once the API's own address (its callback URL) is known; the server
    // looks functions up per request, and none arrives before they are there.
    const functions = {} as Functions;
    const origins: string[] = [];
    server = createApiServer(functions, {
      shopOrigins: origins,
      log: (line) => log(`[api] ${line}`),
      orderEvents: bus,
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(options.apiPort, "127.0.0.1", () => resolve());
    });
    const port = (listening.address() as AddressInfo).port;
    const apiUrl = `http://127.0.0.1:${port}`;
    origins.push(apiUrl, `http://localhost:${port}`, ...(options.shopOrigins ?? []));

    Object.assign(process.env, {
      AWS_REGION: process.env.AWS_REGION ?? "local",
      AWS_EC2_METADATA_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
      ORDERS_TABLE: LOCAL_TABLES.orders,
      BANK_TOKEN_TABLE: LOCAL_TABLES.bankToken,
      CATALOG_TABLE: LOCAL_TABLES.catalog,
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      BOG_BASE_URL: sandbox.url,
      BOG_CLIENT_ID: sandbox.clientId,
      BOG_CLIENT_SECRET: sandbox.clientSecret,
      BOG_CALLBACK_PUBLIC_KEY: options.callbackPublicKey ?? sandbox.publicKeyPem,
      CALLBACK_URL: `${apiUrl}/callback`,
      SUCCESS_URL_TEMPLATE: `${apiUrl}/result?order={orderId}`,
      FAIL_URL_TEMPLATE: `${apiUrl}/result?order={orderId}`,
    });
    delete process.env.BOG_CREDENTIALS_SECRET_ID;
    Object.assign(functions, await startFunctions(options.maxContainers ?? DEFAULT_MAX_CONTAINERS));
    // The schedule's stand-in: the reconcile function every RECONCILE_INTERVAL_SECONDS,
    // one container (in AWS its reserved concurrency is 1: runs never overlap).
    const reconcile = await import("../functions/reconcile/index.js");
    sweep = startReconcileLoop(reconcile.handler, readReconcileIntervalMs(process.env), (line) =>
      log(`[reconcile] ${line}`),
    );
    orderStream = await startOrderEvents(dynamodb.endpoint, bus, (line) => log(`[events] ${line}`));

    const died = dynamodb.died.then(
      (code) => `DynamoDB Local stopped unexpectedly (exit code ${code})`,
    );
    return {
      apiUrl,
      sandbox,
      dynamodbUrl: dynamodb.endpoint,
      orderEvents: bus,
      functions,
      died,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
