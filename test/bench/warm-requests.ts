import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import type { Stats } from "bog-sandbox";
import { orderEventsHandler } from "../../functions/order-events/app.js";
import { eventBridgePublisher } from "../../lib/events/eventbridge-publisher.js";
import type { HttpResult } from "../../lib/http/response.js";
import { apiGatewayEventOf, lambdaContext } from "../../local/lambda-events.js";
import { createFreshTables } from "../support/fresh-tables.js";
import {
  apiEvent,
  CATALOG,
  callbackEvent,
  type FunctionCounters,
  quietLogger,
  wireFunctions,
} from "../support/function-wiring.js";
import { RequestCounter } from "../support/request-counter.js";
import { putEventsAnswer, type RunningSandboxProcess, startReceiver } from "./peers.js";
import { type Spread, spread } from "./stats.js";

/**
 * Part two of the bench: each function's warm requests, wired as in AWS (the tests'
 * wiring) against DynamoDB Local and the sandbox (in its own process), with the CPU
 * time this process spends per request and the DynamoDB and bank requests each
 * operation makes. Then the point of the shared token: 1,000 orders over 20 cold
 * containers, counting the bank round trips per order.
 */

export interface OperationResult {
  fn: string;
  operation: string;
  requests: number;
  cpuMs: Spread;
  dynamodbPerRequest: number;
  dynamodbCommands: Record<string, number>;
  bankPerRequest: number;
  bankCalls: Record<string, number>;
}

export interface TokenReuseResult {
  containers: number;
  orders: number;
  bankRoundTrips: number;
  bankRoundTripsPerOrder: number;
  tokenRequests: number;
  createOrderRequests: number;
  dynamodbPerOrder: number;
}

const BANK_ENDPOINTS = [
  "token",
  "createOrder",
  "receipt",
  "refund",
  "approve",
  "cancel",
  "applePay",
] as const;

function bankDelta(before: Stats, after: Stats): Record<string, number> {
  return Object.fromEntries(
    BANK_ENDPOINTS.map((k) => [k, after[k] - before[k]] as const).filter(([, n]) => n !== 0),
  );
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
const per = (n: number, of: number) => Math.round((n / of) * 100) / 100;

function tally(calls: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c] = (out[c] ?? 0) + 1;
  return out;
}

function ok(result: HttpResult, what: string): Record<string, unknown> {
  if (result.statusCode >= 400) throw new Error(`${what}: ${result.statusCode} ${result.body}`);
  return JSON.parse(result.body) as Record<string, unknown>;
}

const ORDER_BODY = JSON.stringify({ items: [{ productId: "sku-cup", quantity: 2 }] });

export async function measureWarmRequests(
  sandbox: RunningSandboxProcess,
  dynamodbEndpoint: string,
  requests: number,
  progress: (line: string) => void,
): Promise<OperationResult[]> {
  const tables = await createFreshTables(dynamodbEndpoint);
  const callbacks = await startReceiver();
  const bus = await startReceiver(putEventsAnswer);
  const counters: FunctionCounters = {
    createOrder: new RequestCounter(),
    merchant: new RequestCounter(),
    getStatus: new RequestCounter(),
    callback: new RequestCounter(),
    listProducts: new RequestCounter(),
    reconcile: new RequestCounter(),
  };
  const fns = wireFunctions({
    sandbox,
    tables,
    callbackUrl: callbacks.url,
    counters,
    metric: () => undefined,
    putReconcileMetrics: () => undefined,
  });
  const events = new EventBridgeClient({
    endpoint: bus.url,
    region: "eu-central-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const orderEvents = orderEventsHandler({
    publish: eventBridgePublisher(events, "bench-bus"),
    log: quietLogger(),
  });
  for (const item of CATALOG) {
    await fns.doc.send(new PutCommand({ TableName: tables.catalog, Item: item }));
  }
  const results: OperationResult[] = [];

  /** `requests` warm requests after 3 unmeasured ones (the container's first, cold-path ones). */
  async function measure(
    fn: string,
    operation: string,
    counter: RequestCounter | undefined,
    count: number,
    request: (i: number) => Promise<unknown>,
  ): Promise<void> {
    progress(`warm requests: ${fn} ${operation}`);
    for (let i = 0; i < 3; i++) await request(-1 - i);
    counter?.reset();
    const before = await sandbox.stats();
    const cpu: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = process.cpuUsage();
      await request(i);
      const used = process.cpuUsage(start);
      cpu.push((used.user + used.system) / 1000);
    }
    const bank = bankDelta(before, await sandbox.stats());
    const dynamo = tally(counter?.calls ?? []);
    results.push({
      fn,
      operation,
      requests: count,
      cpuMs: spread(cpu),
      dynamodbPerRequest: per(sum(dynamo), count),
      dynamodbCommands: Object.fromEntries(
        Object.entries(dynamo).map(([k, n]) => [k, per(n, count)]),
      ),
      bankPerRequest: per(sum(bank), count),
      bankCalls: Object.fromEntries(Object.entries(bank).map(([k, n]) => [k, per(n, count)])),
    });
  }

  try {
    await measure("list-products", "GET /products", counters.listProducts, requests, async () =>
      ok(
        await fns.listProducts(
          apiEvent({ method: "GET", path: "/products" }),
          lambdaContext("list-products"),
        ),
        "GET /products",
      ),
    );

    const orderIds: string[] = [];
    await measure("create-order", "POST /orders", counters.createOrder, requests, async (i) => {
      const body = ok(
        await fns.createOrder(
          apiEvent({
            method: "POST",
            path: "/orders",
            headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
            body: ORDER_BODY,
          }),
          lambdaContext("create-order"),
        ),
        "POST /orders",
      );
      if (i >= 0) orderIds.push(String(body.orderId));
    });

    const idOf = (i: number) => orderIds[Math.max(i, 0) % orderIds.length] ?? "";
    await measure("get-status", "GET /orders/{id}", counters.getStatus, requests, async (i) => {
      const orderId = idOf(i);
      ok(
        await fns.getStatus(
          apiEvent({ method: "GET", path: `/orders/${orderId}`, pathParameters: { orderId } }),
          lambdaContext("get-status"),
        ),
        "GET /orders/{id}",
      );
    });

    // The bank pays every order; its signed callbacks are kept, then replayed to the function.
    for (const orderId of orderIds) {
      const order = await fns.orders.get(orderId);
      if (!order?.bankOrderId) throw new Error(`order ${orderId} has no bank order`);
      await sandbox.pay(order.bankOrderId);
    }
    for (let waited = 0; callbacks.received.length < orderIds.length; waited += 50) {
      if (waited > 30_000) throw new Error("the sandbox's callbacks did not all arrive");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const signed = [...callbacks.received];
    await measure(
      "callback",
      "bank callback (completed)",
      counters.callback,
      Math.min(requests, signed.length - 3),
      async (i) => {
        const { body, headers } = signed[i + 3] ??
          signed[0] ?? { body: Buffer.alloc(0), headers: {} };
        ok(await fns.callback(callbackEvent(body, headers), lambdaContext("callback")), "callback");
      },
    );

    await measure(
      "merchant",
      "GET /merchant/orders/{id}",
      counters.merchant,
      requests,
      async (i) => {
        const orderId = idOf(i);
        ok(
          await fns.merchantApi(
            apiGatewayEventOf(
              {
                method: "GET",
                url: `/merchant/orders/${orderId}`,
                headers: {},
                userAgent: "bench",
              },
              "GET /merchant/orders/{orderId}",
              { orderId },
            ),
            lambdaContext("merchant"),
          ),
          "merchant order",
        );
      },
    );

    await measure("reconcile", "one sweep", counters.reconcile, Math.min(requests, 20), async () =>
      fns.reconcile({}, lambdaContext("reconcile", 60_000)),
    );

    const image = (status: string, version: number) =>
      marshall({
        pk: `order#${idOf(0)}`,
        orderId: idOf(0),
        status,
        version,
        amount: 2500,
        currency: "GEL",
        updatedAt: "2026-11-26T20:03:11Z",
        history: Array.from({ length: version }, () => ({})),
      });
    await measure(
      "order-events",
      "stream batch of 1 → PutEvents",
      undefined,
      requests,
      async (i) => {
        const event = {
          Records: [
            {
              eventName: "MODIFY",
              dynamodb: {
                SequenceNumber: String(1000 + i),
                OldImage: image("created", 2),
                NewImage: image("completed", 3),
              },
            },
          ],
        } as unknown as DynamoDBStreamEvent;
        await orderEvents(event, lambdaContext("order-events"));
      },
    );
  } finally {
    events.destroy();
    await callbacks.close();
    await bus.close();
  }
  return results;
}

/**
 * 1,000 orders (or fewer) over 20 containers started together, each a fresh wiring
 * (its own token cache and DynamoDB client, cold) serving one request at a time, as
 * Lambda does: the bank's token is fetched once and shared through DynamoDB.
 */
export async function measureTokenReuse(
  sandbox: RunningSandboxProcess,
  dynamodbEndpoint: string,
  orders: number,
  containers: number,
  progress: (line: string) => void,
): Promise<TokenReuseResult> {
  progress(`token reuse: ${orders} orders over ${containers} cold containers`);
  const tables = await createFreshTables(dynamodbEndpoint);
  const callbacks = await startReceiver();
  const counters = Array.from({ length: containers }, () => new RequestCounter());
  try {
    const seed = wireFunctions({
      sandbox,
      tables,
      callbackUrl: callbacks.url,
      counters: countersOf(new RequestCounter()),
      metric: () => undefined,
      putReconcileMetrics: () => undefined,
    });
    for (const item of CATALOG) {
      await seed.doc.send(new PutCommand({ TableName: tables.catalog, Item: item }));
    }
    const before = await sandbox.stats();
    await Promise.all(
      counters.map(async (counter, c) => {
        const fns = wireFunctions({
          sandbox,
          tables,
          callbackUrl: callbacks.url,
          counters: countersOf(counter),
          metric: () => undefined,
          putReconcileMetrics: () => undefined,
        });
        const share = Math.floor(orders / containers) + (c < orders % containers ? 1 : 0);
        for (let i = 0; i < share; i++) {
          ok(
            await fns.createOrder(
              apiEvent({
                method: "POST",
                path: "/orders",
                headers: {
                  "content-type": "application/json",
                  "idempotency-key": crypto.randomUUID(),
                },
                body: ORDER_BODY,
              }),
              lambdaContext("create-order"),
            ),
            "POST /orders",
          );
        }
      }),
    );
    const bank = bankDelta(before, await sandbox.stats());
    const dynamo = counters.reduce((n, c) => n + c.total, 0);
    return {
      containers,
      orders,
      bankRoundTrips: sum(bank),
      bankRoundTripsPerOrder: Math.round((sum(bank) / orders) * 1000) / 1000,
      tokenRequests: bank.token ?? 0,
      createOrderRequests: bank.createOrder ?? 0,
      dynamodbPerOrder: per(dynamo, orders),
    };
  } finally {
    await callbacks.close();
  }
}

/** One counter for every function of a container (only create-order is driven). */
function countersOf(counter: RequestCounter): FunctionCounters {
  return {
    createOrder: counter,
    merchant: counter,
    getStatus: counter,
    callback: counter,
    listProducts: counter,
    reconcile: counter,
  };
}
