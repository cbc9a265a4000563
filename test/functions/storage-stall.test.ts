import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../local/dynamodb-local.js";
import { post, stats } from "../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../support/functions.js";

/**
 * DynamoDB stalls (here: its own DynamoDB Local stopped with SIGSTOP, so other test
 * files are not stalled with it): every function answers a clear 503 with
 * Retry-After well inside its time, and nothing is left half-done: once storage is
 * back, a retry with the same Idempotency-Key completes the one order.
 */

let dynamodb: DynamoDbLocal | undefined;
const signal = (name: "SIGSTOP" | "SIGCONT") => {
  if (!dynamodb?.pid) throw new Error("DynamoDB Local has no process id");
  process.kill(dynamodb.pid, name);
};

beforeAll(async () => {
  dynamodb = await startDynamoDbLocal();
}, 60_000);
afterAll(async () => {
  if (dynamodb?.pid) process.kill(dynamodb.pid, "SIGCONT");
  await dynamodb?.stop();
});

const fx = useFunctions({ dynamodbEndpoint: () => dynamodb?.endpoint ?? "" });
const BASKET = { items: [{ productId: "sku-cup", quantity: 1 }] };

async function stalled<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  signal("SIGSTOP");
  try {
    const started = Date.now();
    const value = await work();
    return { value, ms: Date.now() - started };
  } finally {
    signal("SIGCONT");
  }
}

const expectServiceUnavailable = (answer: {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}) => {
  expect(answer.status).toBe(503);
  expect(answer.headers["retry-after"]).toBe("2");
  expect(answer.body).toEqual({
    error: {
      code: "service_unavailable",
      message: "our storage did not answer in time; try again",
    },
  });
};

describe("DynamoDB stalled", () => {
  it("POST /orders: 503 within 10 s; afterwards the same key makes the order", async () => {
    expect((await fx.postOrder(BASKET)).status).toBe(201); // a token, a catalog, warm
    const key = randomUUID();
    const { value, ms } = await stalled(() => fx.postOrder(BASKET, { "idempotency-key": key }));
    expectServiceUnavailable(value);
    expect(ms).toBeLessThan(10_000);

    const retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(retry.status).toBe(201);
    expect((await stats(fx.sandbox())).ordersCreated).toBe(2);
  });

  it("a stall while the bank is called: 503; the retry reaches the same bank order", async () => {
    expect((await fx.postOrder(BASKET)).status).toBe(201);
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "createOrder",
      delayMs: 1500,
      count: 1,
    });
    const key = randomUUID();
    const first = fx.postOrder(BASKET, { "idempotency-key": key });
    // The order is written before the bank is called; stop storage while the bank works.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const { value } = await stalled(() => first);
    expect([201, 503]).toContain(value.status);

    let retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    // The first request's claim on the bank call lasts until its own deadline.
    for (let i = 0; retry.status === 409 && i < 3; i += 1) {
      await new Promise((resolve) =>
        setTimeout(resolve, 1000 * Number(retry.headers["retry-after"])),
      );
      retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    }
    expect(retry.status).toBe(201);
    expect((await stats(fx.sandbox())).ordersCreated).toBe(2);
    expect(await bankOrderIdOf(fx, retry.body.orderId as string)).toEqual(expect.any(String));
  });

  it("GET /orders/{id} and the callback: 503 within 10 s", async () => {
    const created = await fx.postOrder(BASKET);
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    const status = await stalled(() => fx.getOrder(orderId));
    expectServiceUnavailable(status.value);
    expect(status.ms).toBeLessThan(10_000);

    const raw = Buffer.from(
      JSON.stringify({ event: "order_payment", body: { order_id: bankOrderId } }),
    );
    const callback = await stalled(() => fx.callback(raw));
    expectServiceUnavailable(callback.value);
    expect(callback.ms).toBeLessThan(10_000);
  });
});
