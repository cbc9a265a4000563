import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { orderEventsHandler } from "../../../functions/order-events/app.js";
import type { OrderEventDetail } from "../../../lib/events/order-event.js";
import { MAX_ATTEMPTS } from "../../../lib/webhooks/retry-schedule.js";
import { keyOf } from "../../../lib/webhooks/signing-secrets.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { type OrderStream, startOrderStream } from "../../../local/order-stream.js";
import { createLocalOrderBus, type LocalOrderBus } from "../../../local/order-webhook.js";
import { startWebhookOutbox, type WebhookOutbox } from "../../../local/webhook-outbox.js";
import { post } from "../../support/bank-calls.js";
import { type CallbackReceiver, startCallbackReceiver } from "../../support/callback-receiver.js";
import { bankOrderIdOf, placedOrder, quietLogger, useFunctions } from "../../support/functions.js";
import { verifiedEvent } from "../../support/webhook-verify.js";

/**
 * Order events end to end, with the code that runs in AWS and in `npm start`: the
 * functions write orders into DynamoDB Local (the sandbox pays them, its callbacks
 * arrive over HTTP), the orders table's stream is read as the event source mapping
 * reads it, into the order-events handler, whose local bus keeps each event in the
 * local delivery queue (DynamoDB Local), from which the stack's sender signs and POSTs
 * it to a webhook receiver; every delivery is verified with the Standard Webhooks
 * library, as a shop verifies it.
 */

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
/** The schedule's 27.6 hours in about three seconds. */
const SCALE = 0.00003;

let hook: CallbackReceiver;
let bus: LocalOrderBus;
let outbox: WebhookOutbox;
let stream: OrderStream;
const lines: string[] = [];

beforeAll(async () => {
  hook = await startCallbackReceiver();
  outbox = await startWebhookOutbox({
    endpoint: fx.tables().endpoint,
    tableName: `webhook-outbox-${randomUUID()}`,
    send: { url: hook.url, keys: [keyOf(SECRET)], retryScale: SCALE },
    log: (line) => lines.push(line),
  });
  bus = createLocalOrderBus({
    webhook: { url: hook.url, outbox },
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
// Every delivery of every test, checked as a shop checks it.
afterEach(() => {
  expect(deliveries().filter((d) => !d.verified)).toEqual([]);
});

interface Delivery {
  detail: OrderEventDetail;
  verified: boolean;
}

const deliveries = (): Delivery[] =>
  hook.received.map((r) => ({
    detail: JSON.parse(r.raw.toString("utf8")) as OrderEventDetail,
    verified: (() => {
      try {
        return verifiedEvent(SECRET, r) !== undefined;
      } catch {
        return false;
      }
    })(),
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

async function pay(orderId: string): Promise<void> {
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  const paid = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
    outcome: "completed",
  });
  expect(paid.status).toBe(200);
}

describe("order events to the shop's webhook", () => {
  it("a paid order: exactly created, then completed, each with the contract's detail, signed", async () => {
    const orderId = (await placedOrder(fx, {}, { "idempotency-key": randomUUID() })).orderId;
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
      expect(verifiedEvent(SECRET, r)).toEqual(JSON.parse(r.raw.toString("utf8")));
      expect(r.headers["webhook-id"]).toMatch(new RegExp(`^order_${orderId}_v[23]$`));
    }
    expect(lines.some((l) => l.includes(`order ${orderId} v3 created → completed`))).toBe(true);
  });

  it("a declined payment: created, then rejected with its reason", async () => {
    const orderId = (await placedOrder(fx, {}, { "idempotency-key": randomUUID() })).orderId;
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
    const orderId = (await placedOrder(fx, {}, { "idempotency-key": randomUUID() })).orderId;
    const events = await waitForEvents(orderId, hasStatus("created"));
    expect(events.map((e) => e.status)).toEqual(["created"]);
    expect(deliveriesOf(orderId)).toHaveLength(3);
    expect(deliveriesOf(orderId).every((d) => d.verified)).toBe(true);
    expect(lines).toContain(`delivered order_${orderId}_v2 on attempt 3`);
    // One event, one id, however many attempts.
    expect(
      new Set(
        hook.received.filter((r) => r.raw.includes(orderId)).map((r) => r.headers["webhook-id"]),
      ),
    ).toEqual(new Set([`order_${orderId}_v2`]));
  });

  it("the webhook answers 500 for good: every attempt of the schedule, then kept as dead; a redrive sends it once the shop is back", async () => {
    hook.respondWith(Array(MAX_ATTEMPTS).fill(500));
    const orderId = (await placedOrder(fx, {}, { "idempotency-key": randomUUID() })).orderId;
    const deadline = Date.now() + 20_000;
    const line = `dead-letter: order_${orderId}_v2 not delivered after ${MAX_ATTEMPTS} attempts (HTTP 500); npm run webhook -- redrive --local sends it again`;
    while (!lines.includes(line) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toContain(line);
    await bus.idle();
    expect(deliveriesOf(orderId)).toHaveLength(MAX_ATTEMPTS);
    hook.respondWith([]);
    expect(await outbox.redrive()).toEqual({ delivered: 1, failed: 0 });
    expect(deliveriesOf(orderId)).toHaveLength(MAX_ATTEMPTS + 1);
    expect(deliveriesOf(orderId).every((d) => d.verified)).toBe(true);
    expect(await outbox.redrive()).toEqual({ delivered: 0, failed: 0 });
  });

  it("a 4xx other than 408 and 429 (here 410) is the shop's refusal: not retried, kept as dead", async () => {
    hook.respondWith([410]);
    const orderId = (await placedOrder(fx, {}, { "idempotency-key": randomUUID() })).orderId;
    const line = `dead-letter: order_${orderId}_v2 not delivered after 1 attempt (refused: HTTP 410); npm run webhook -- redrive --local sends it again`;
    const deadline = Date.now() + 10_000;
    while (!lines.includes(line) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toContain(line);
    expect(deliveriesOf(orderId)).toHaveLength(1);
  });
});

describe("the local delivery queue with two pumps on one table", () => {
  it("each event is delivered, none lost, a duplicate at most with one webhook-id; two redrives at once send each dead event once", async () => {
    const slow = await startCallbackReceiver();
    const tableName = `webhook-outbox-${randomUUID()}`;
    const pumps = await Promise.all(
      [1, 2].map(() =>
        startWebhookOutbox({
          endpoint: fx.tables().endpoint,
          tableName,
          send: { url: slow.url, keys: [keyOf(SECRET)], retryScale: SCALE },
          log: (line) => lines.push(line),
        }),
      ),
    );
    const [a, b] = pumps as [WebhookOutbox, WebhookOutbox];
    try {
      const orderId = randomUUID();
      const event = (version: number): OrderEventDetail => ({
        orderId,
        reference: null,
        status: "created",
        previousStatus: null,
        amount: "1.00",
        currency: "GEL",
        capturedAmount: null,
        refundedAmount: null,
        paymentMethod: null,
        rejectReason: null,
        occurredAt: new Date().toISOString(),
        version,
      });
      const versions = Array.from({ length: 20 }, (_, i) => i + 2);
      await Promise.all(versions.map((v) => (v % 2 ? a : b).enqueue(event(v))));
      // The same event enqueued twice while it waits is one item.
      await b.enqueue(event(2));
      await Promise.all([a.idle(), b.idle()]);
      const ids = slow.received.map((r) => String(r.headers["webhook-id"]));
      expect(new Set(ids)).toEqual(new Set(versions.map((v) => `order_${orderId}_v${v}`)));
      for (const r of slow.received) expect(verifiedEvent(SECRET, r).orderId).toBe(orderId);

      // Refused, then sent again by two redrives at once: each once.
      slow.received.length = 0;
      slow.respondWith([410, 410, 410]);
      await Promise.all([30, 31, 32].map((v) => a.enqueue(event(v))));
      await Promise.all([a.idle(), b.idle()]);
      expect(slow.received).toHaveLength(3);
      const [first, second] = await Promise.all([a.redrive(), b.redrive()]);
      expect((first?.delivered ?? 0) + (second?.delivered ?? 0)).toBe(3);
      expect(
        slow.received
          .slice(3)
          .map((r) => r.headers["webhook-id"])
          .sort(),
      ).toEqual([30, 31, 32].map((v) => `order_${orderId}_v${v}`));
    } finally {
      await Promise.all(pumps.map((p) => p.stop()));
      await slow.close();
    }
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
