import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { orderEventsHandler } from "../../functions/order-events/app.js";
import type { OrderEventDetail } from "../../lib/events/order-event.js";
import { isFromPaymentsStack, WEBHOOK_KEY_HEADER } from "../../lib/events/webhook-key.js";
import { lambdaContext } from "../../local/lambda-events.js";
import { type OrderStream, startOrderStream } from "../../local/order-stream.js";
import { createLocalOrderBus, type LocalOrderBus } from "../../local/order-webhook.js";
import { post } from "../support/bank-calls.js";
import { type CallbackReceiver, startCallbackReceiver } from "../support/callback-receiver.js";
import { bankOrderIdOf, quietLogger, useFunctions } from "../support/functions.js";

/**
 * Order events end to end, with the code that runs in AWS and in `npm start`: the
 * functions write orders into DynamoDB Local (the sandbox pays them, its callbacks
 * arrive over HTTP), the orders table's stream is read as the event source mapping
 * reads it, into the order-events handler, whose local bus POSTs each event to a
 * webhook receiver with the webhook key, as the API destination does.
 */

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });
const SECRET = `test-webhook-key-${randomUUID()}`;
const RETRIES = [30, 60, 120];
const deadLetterFile = join(mkdtempSync(join(tmpdir(), "order-events-")), "dead-letters.jsonl");

let hook: CallbackReceiver;
let bus: LocalOrderBus;
let stream: OrderStream;
const lines: string[] = [];

beforeAll(async () => {
  hook = await startCallbackReceiver();
  bus = createLocalOrderBus({
    webhook: { url: hook.url, secret: SECRET, retryDelaysMs: RETRIES, deadLetterFile },
    log: (line) => lines.push(line),
  });
  const handler = orderEventsHandler({ publish: bus.publish, log: quietLogger() });
  stream = await startOrderStream({
    endpoint: fx.tables().endpoint,
    tableName: fx.tables().orders,
    handler: (event) => handler(event, lambdaContext("order-events")),
    log: (line) => lines.push(line),
    pollMs: 50,
  });
});
afterAll(async () => {
  await stream?.stop();
  await bus?.stop();
  await hook?.close();
});
beforeEach(() => {
  hook.respondWith([]);
});

interface Delivery {
  detail: OrderEventDetail;
  verified: boolean;
}

const deliveries = (): Delivery[] =>
  hook.received.map((r) => ({
    detail: JSON.parse(r.raw.toString("utf8")) as OrderEventDetail,
    verified: isFromPaymentsStack(r.headers[WEBHOOK_KEY_HEADER], SECRET),
  }));

const deliveriesOf = (orderId: string) => deliveries().filter((d) => d.detail.orderId === orderId);

/** The events of an order that arrived, one per version (repeats must be equal). */
function eventsOf(orderId: string): OrderEventDetail[] {
  const byVersion = new Map<number, OrderEventDetail>();
  for (const { detail } of deliveriesOf(orderId)) {
    const seen = byVersion.get(detail.version);
    if (seen) expect(detail).toEqual(seen);
    byVersion.set(detail.version, detail);
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/** Waits until the order's events include one with `status` (and `until` holds), then settles. */
async function waitForEvents(
  orderId: string,
  until: (events: OrderEventDetail[]) => boolean,
  timeoutMs = 10_000,
): Promise<OrderEventDetail[]> {
  const deadline = Date.now() + timeoutMs;
  while (!until(eventsOf(orderId))) {
    if (Date.now() > deadline)
      throw new Error(
        `events of ${orderId}: ${JSON.stringify(eventsOf(orderId).map((e) => e.status))} (log: ${lines.slice(-5).join(" / ")})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Whatever else the stream would bring has time to arrive (and fail the test).
  await new Promise((resolve) => setTimeout(resolve, 400));
  await bus.idle();
  return eventsOf(orderId);
}

const hasStatus = (status: string) => (events: OrderEventDetail[]) =>
  events.some((e) => e.status === status);

async function newOrder(): Promise<string> {
  const created = await fx.postOrder(
    { items: [{ productId: "sku-cup", quantity: 2 }] },
    { "idempotency-key": randomUUID() },
  );
  expect(created.status).toBe(201);
  return created.body.orderId as string;
}

async function pay(orderId: string): Promise<void> {
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  const paid = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
    outcome: "completed",
  });
  expect(paid.status).toBe(200);
}

describe("order events to the shop's webhook", () => {
  it("a paid order: exactly created, then completed, each with the contract's detail and the webhook key", async () => {
    const orderId = await newOrder();
    await pay(orderId);
    const events = await waitForEvents(orderId, hasStatus("completed"));
    expect(events).toEqual([
      {
        orderId,
        reference: null,
        status: "created",
        previousStatus: "pending",
        amount: "25.00",
        currency: "GEL",
        capturedAmount: null,
        refundedAmount: null,
        paymentMethod: null,
        rejectReason: null,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        version: 2,
      },
      expect.objectContaining({
        status: "completed",
        previousStatus: "created",
        amount: "25.00",
        paymentMethod: "card",
        version: 3,
      }),
    ]);
    // Key order as in the contract, too: a shop that logs the body sees it as documented.
    expect(Object.keys(deliveriesOf(orderId)[0]?.detail ?? {})).toEqual([
      "orderId",
      "reference",
      "status",
      "previousStatus",
      "amount",
      "currency",
      "capturedAmount",
      "refundedAmount",
      "paymentMethod",
      "rejectReason",
      "occurredAt",
      "version",
    ]);
    const received = hook.received.filter((r) => r.raw.includes(orderId));
    for (const r of received) {
      expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(isFromPaymentsStack(r.headers[WEBHOOK_KEY_HEADER], SECRET)).toBe(true);
      expect(isFromPaymentsStack(r.headers[WEBHOOK_KEY_HEADER], `${SECRET}x`)).toBe(false);
    }
    expect(lines.some((l) => l.includes(`order ${orderId} v3 created → completed`))).toBe(true);
  });

  it("a declined payment: created, then rejected with its reason", async () => {
    const orderId = await newOrder();
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "rejected" });
    const events = await waitForEvents(orderId, hasStatus("rejected"));
    expect(events.map((e) => [e.status, e.previousStatus, e.rejectReason, e.version])).toEqual([
      ["created", "pending", null, 2],
      ["rejected", "created", "unknown", 3],
    ]);
  });

  it("the webhook answers 500 for a while: the deliveries are retried and arrive", async () => {
    hook.respondWith([500, 503]);
    const orderId = await newOrder();
    const events = await waitForEvents(orderId, hasStatus("created"));
    expect(events.map((e) => e.status)).toEqual(["created"]);
    expect(deliveriesOf(orderId)).toHaveLength(3);
    expect(deliveriesOf(orderId).every((d) => d.verified)).toBe(true);
    expect(lines).toContain(`delivered order ${orderId} v2 on attempt 3`);
  });

  it("the webhook answers 500 for good: bounded retries, then a dead-letter line and file", async () => {
    hook.respondWith(Array(RETRIES.length + 1).fill(500));
    const orderId = await newOrder();
    const deadline = Date.now() + 10_000;
    const line = `dead-letter: order ${orderId} v2 not delivered after ${RETRIES.length + 1} attempts (last: HTTP 500)`;
    while (!lines.includes(line) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toContain(line);
    await bus.idle();
    expect(deliveriesOf(orderId)).toHaveLength(RETRIES.length + 1);
    const dead = readFileSync(deadLetterFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { attempts: number; problem: string; detail: OrderEventDetail });
    expect(dead.find((d) => d.detail.orderId === orderId)).toMatchObject({
      attempts: RETRIES.length + 1,
      problem: "HTTP 500",
      detail: { orderId, status: "created", version: 2 },
    });
  });

  it("a 4xx other than 401, 407, 409 and 429 is not retried, as EventBridge does not", async () => {
    hook.respondWith([400]);
    const orderId = await newOrder();
    const line = `dead-letter: order ${orderId} v2 not delivered after 1 attempt (last: HTTP 400)`;
    const deadline = Date.now() + 10_000;
    while (!lines.includes(line) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toContain(line);
    expect(deliveriesOf(orderId)).toHaveLength(1);
  });
});

describe("operation outcomes", () => {
  const key = () => ({ "idempotency-key": randomUUID() });

  it("a refund through the merchant API: the refund's status change and its outcome, each with its version; the request itself is no event", async () => {
    const created = await fx.merchant("POST /merchant/orders", {
      path: "/merchant/orders",
      headers: key(),
      body: {
        reference: "shop-order-1042",
        currency: "GEL",
        items: [{ productId: "mug", description: "Mug", quantity: 2, unitPrice: "10.00" }],
      },
    });
    expect(created.status).toBe(201);
    const orderId = created.body.orderId as string;
    await pay(orderId);
    await waitForEvents(orderId, hasStatus("completed"));
    const refund = await fx.merchant("POST /merchant/orders/{orderId}/refund", {
      path: `/merchant/orders/${orderId}/refund`,
      pathParameters: { orderId },
      headers: key(),
      body: { amount: "5.00" },
    });
    expect(refund.status).toBe(202);
    const events = await waitForEvents(
      orderId,
      (all) => all.filter((e) => e.status === "refunded_partially").length === 2,
    );
    expect(
      events.map((e) => [e.status, e.previousStatus, e.refundedAmount, e.reference, e.version]),
    ).toEqual([
      ["created", "pending", null, "shop-order-1042", 2],
      ["completed", "created", null, "shop-order-1042", 3],
      // Version 4 is the refund being requested: no event.
      ["refunded_partially", "completed", "5.00", "shop-order-1042", 5],
      // The refund operation completed (settled by the bank's word).
      ["refunded_partially", "refunded_partially", "5.00", "shop-order-1042", 6],
    ]);
    const detail = await fx.merchant("GET /merchant/orders/{orderId}", {
      path: `/merchant/orders/${orderId}`,
      pathParameters: { orderId },
    });
    expect(detail.body.operations).toEqual([expect.objectContaining({ state: "completed" })]);
  });
});
