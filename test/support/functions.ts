import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, Context, LambdaFunctionURLEvent } from "aws-lambda";
import type { RunningSandbox } from "bog-sandbox";
import { afterAll, beforeAll } from "vitest";
import type { Env } from "../../lib/config.js";
import type { HttpResult } from "../../lib/http/response.js";
import type { MetricOptions } from "../../lib/metrics.js";
import type { SweepReport } from "../../lib/orders/reconcile/sweep.js";
import { apiGatewayEventOf, functionUrlEvent, lambdaContext } from "../../local/lambda-events.js";
import { post } from "./bank-calls.js";
import { RequestCounter, useDynamoTables } from "./dynamo-fixture.js";
import { apiEvent, CATALOG, callbackEvent, wireFunctions } from "./function-wiring.js";
import { checkAnswer, documentedRoute, type Target } from "./openapi-check.js";
import { useSandbox } from "./sandbox-fixture.js";

export {
  apiEvent,
  callbackEvent,
  createOrderEvent,
  quietLogger,
  SHOP,
} from "./function-wiring.js";

/**
 * The payment functions as they run in AWS, driven with API Gateway v2 and Function
 * URL events, against DynamoDB Local and the sandbox over real HTTP. Each function
 * has its own DynamoDB client with a request counter, like a container of its own.
 * The sandbox's callbacks reach the callback function through a loopback bridge.
 */

export type Answer = {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
};

function answer(result: HttpResult): Answer {
  return {
    status: result.statusCode,
    headers: (result.headers ?? {}) as Record<string, string>,
    // A 204 has no body.
    body: (result.body === "" ? {} : JSON.parse(result.body)) as Record<string, unknown>,
  };
}

/**
 * A handler whose every answer is checked against openapi.yaml (test/support/openapi-check.ts):
 * API handlers by the route API Gateway would have taken (the event's route key when it
 * is a documented one, else its method and path), the callback as the bank's webhook.
 */
function checked<E extends APIGatewayProxyEventV2>(
  handler: (event: E, context: Context) => Promise<HttpResult>,
  targetOf: (event: E) => Target,
): (event: E, context: Context) => Promise<HttpResult> {
  return async (event, context) => {
    const result = await handler(event, context);
    checkAnswer(targetOf(event), {
      status: result.statusCode,
      headers: result.headers ?? {},
      body: result.body,
    });
    return result;
  };
}

function apiRoute(event: APIGatewayProxyEventV2): Target {
  const routeKey =
    documentedRoute(...(event.routeKey.split(" ") as [string, string])) === event.routeKey
      ? event.routeKey
      : documentedRoute(event.requestContext.http.method, event.rawPath);
  if (!routeKey)
    throw new Error(`OpenAPI: ${event.routeKey} (${event.rawPath}) is not a documented route`);
  return { routeKey };
}

export function useFunctions(
  options: { env?: Env; logger?: () => Logger; dynamodbEndpoint?: () => string } = {},
) {
  const { sandbox, receiver } = useSandbox();
  const tables = useDynamoTables(options.dynamodbEndpoint);
  const counters = {
    createOrder: new RequestCounter(),
    merchant: new RequestCounter(),
    getStatus: new RequestCounter(),
    callback: new RequestCounter(),
    listProducts: new RequestCounter(),
    reconcile: new RequestCounter(),
  };
  const metrics: string[] = [];
  /** Every metric with its value and dimensions, in order. */
  const metricRecords: Array<{ name: string; value: number; options: MetricOptions }> = [];
  /** What each sweep run reported as metrics, by name. */
  const reconcileMetrics: Array<Record<string, number>> = [];
  let bridge: Server | undefined;
  let handlers: ReturnType<typeof build> | undefined;
  let bridgeUrl = "";

  function build(sb: RunningSandbox) {
    const wired = wireFunctions({
      sandbox: sb,
      tables: tables(),
      callbackUrl: bridgeUrl,
      env: options.env,
      logger: options.logger,
      counters,
      metric: (name, value, options) => {
        metrics.push(name);
        metricRecords.push({ name, value, options });
      },
      putReconcileMetrics: (values) => {
        reconcileMetrics.push(Object.fromEntries(values.map((v) => [v.name, v.value])));
      },
    });
    // Every answer is checked against openapi.yaml, as a client would read it.
    return {
      ...wired,
      createOrder: checked(wired.createOrder, apiRoute),
      getStatus: checked(wired.getStatus, apiRoute),
      callback: checked<LambdaFunctionURLEvent>(wired.callback, () => ({
        webhook: "bankCallback",
      })),
      listProducts: checked(wired.listProducts, apiRoute),
      merchantApi: checked(wired.merchantApi, apiRoute),
    };
  }

  beforeAll(async () => {
    bridge = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const result = await handlers?.callback(
          functionUrlEvent(req, Buffer.concat(chunks)),
          lambdaContext("callback"),
        );
        res
          .writeHead(result?.statusCode ?? 500, { "content-type": "application/json" })
          .end(result?.body);
      });
    });
    await new Promise<void>((resolve) => bridge?.listen(0, "127.0.0.1", resolve));
    bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}/callback`;
    handlers = build(sandbox());
    for (const item of CATALOG) {
      await handlers.doc.send(new PutCommand({ TableName: tables().catalog, Item: item }));
    }
  });
  afterAll(async () => {
    bridge?.closeAllConnections();
    await new Promise<void>((resolve) => (bridge ? bridge.close(() => resolve()) : resolve()));
  });

  const h = () => {
    if (!handlers) throw new Error("functions not started");
    return handlers;
  };
  return {
    sandbox,
    receiver,
    tables,
    counters,
    metrics,
    metricRecords,
    reconcileMetrics,
    handlers: h,
    bridgeUrl: () => bridgeUrl,
    async postOrder(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
      const event = apiEvent({
        method: "POST",
        path: "/orders",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return answer(await h().createOrder(event, lambdaContext("create-order")));
    },
    /** Apple Pay's second step, as API Gateway routes it to the create-order function. */
    async walletPayment(orderId: string, body: unknown): Promise<Answer> {
      const event = apiGatewayEventOf(
        {
          method: "POST",
          url: `/orders/${orderId}/wallet-payment`,
          headers: { "content-type": "application/json" },
          body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
          userAgent: "test",
        },
        "POST /orders/{orderId}/wallet-payment",
        { orderId },
      );
      return answer(await h().createOrder(event, lambdaContext("create-order")));
    },
    async getOrder(orderId: string): Promise<Answer> {
      const event = apiEvent({
        method: "GET",
        path: `/orders/${orderId}`,
        pathParameters: { orderId },
      });
      return answer(await h().getStatus(event, lambdaContext("get-status")));
    },
    /** A merchant API request, as API Gateway would route it (IAM is API Gateway's, not the function's). */
    async merchant(
      routeKey: string,
      init: {
        path: string;
        body?: unknown;
        headers?: Record<string, string>;
        pathParameters?: Record<string, string>;
        query?: string;
      },
    ): Promise<Answer> {
      const [method = "GET"] = routeKey.split(" ");
      const event = apiGatewayEventOf(
        {
          method,
          url: init.query ? `${init.path}?${init.query}` : init.path,
          headers: {
            ...(init.body === undefined ? {} : { "content-type": "application/json" }),
            ...init.headers,
          },
          body:
            init.body === undefined
              ? undefined
              : Buffer.from(typeof init.body === "string" ? init.body : JSON.stringify(init.body)),
          userAgent: "test",
        },
        routeKey,
        init.pathParameters,
      );
      return answer(await h().merchantApi(event, lambdaContext("merchant")));
    },
    /** One run of the reconciliation sweep, in an invocation with `timeoutMs` to go. */
    async sweep(timeoutMs = 60_000): Promise<SweepReport> {
      return h().reconcile({}, lambdaContext("reconcile", timeoutMs));
    },
    async listProducts(): Promise<Answer> {
      return answer(
        await h().listProducts(
          apiEvent({ method: "GET", path: "/products" }),
          lambdaContext("list-products"),
        ),
      );
    },
    async callback(
      raw: Buffer,
      headers: Record<string, string> = {},
      base64 = false,
    ): Promise<Answer> {
      return answer(
        await h().callback(callbackEvent(raw, headers, base64), lambdaContext("callback")),
      );
    },
  };
}

/**
 * Waits until the sandbox has had an answer to the first attempt of every callback it
 * began: the bank answers an operation before its callback reaches the shop, as the
 * real bank does, so a test that reads the order after an operation waits for this.
 */
export async function callbacksAnswered(
  fx: { sandbox: () => RunningSandbox },
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (
    fx
      .sandbox()
      .bank.callbacks.list()
      .some((c) => c.attempts === 0)
  ) {
    if (Date.now() > until) throw new Error("a callback's first attempt had no answer in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A new order through `POST /orders` (two cups unless `body` says otherwise), with
 * the bank order behind it; anything but a 201 fails the test here.
 */
export async function placedOrder(
  fx: ReturnType<typeof useFunctions>,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ orderId: string; bankOrderId: string }> {
  const answer = await fx.postOrder(
    { items: [{ productId: "sku-cup", quantity: 2 }], ...body },
    headers,
  );
  if (answer.status !== 201) {
    throw new Error(`POST /orders answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  const orderId = answer.body.orderId as string;
  return { orderId, bankOrderId: await bankOrderIdOf(fx, orderId) };
}

/** The bank order id behind one of our orders, from the store. */
export async function bankOrderIdOf(
  fx: ReturnType<typeof useFunctions>,
  orderId: string,
): Promise<string> {
  const order = await fx.handlers().orders.get(orderId);
  if (!order?.bankOrderId) throw new Error(`order ${orderId} has no bank order`);
  return order.bankOrderId;
}

/**
 * An order whose bank call failed for good: stored `pending`, no bank order. The
 * sandbox fails the next `count` create-order requests with `status` (a 503 is
 * retried, three attempts in all; a 400 is not). Answers the order's id, found
 * through its Idempotency-Key, since the failed request answered none.
 */
export async function strandedOrder(
  fx: ReturnType<typeof useFunctions>,
  body: Record<string, unknown>,
  fault: { status: number; count: number } = { status: 503, count: 50 },
): Promise<string> {
  await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", ...fault });
  const key = crypto.randomUUID();
  const answer = await fx.postOrder(body, { "idempotency-key": key });
  if (answer.status < 400) throw new Error(`the order was placed (${answer.status}), not stranded`);
  const item = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `idem#${key}` } }));
  return item.Item?.orderId as string;
}
