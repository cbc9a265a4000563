import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  BANK_ERRORS,
  BANK_LATENCY,
  CALLBACKS,
  ORDERS_CREATED,
  ORDERS_PAID,
  ORDERS_REFUNDED,
  ORDERS_REJECTED,
  PAID_AMOUNT,
} from "../../lib/metrics.js";
import { post } from "../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../support/functions.js";

/**
 * Issue 11, metrics: a day of payments at a glance. Orders created, paid (count and
 * amount by currency), rejected and refunded; callbacks by outcome; the bank's latency
 * and errors by operation. Driven end to end against DynamoDB Local and the sandbox.
 */

const fx = useFunctions();

const since = (mark: number) => fx.metricRecords.slice(mark);
const named = (mark: number, name: string) => since(mark).filter((r) => r.name === name);
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((r) => setTimeout(r, 50));
};

async function paidOrder() {
  const created = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 2 }] });
  const orderId = created.body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  return { orderId, bankOrderId };
}

describe("metrics", () => {
  it("a paid order: created once, paid once with its amount by currency, the callback stored", async () => {
    const mark = fx.metricRecords.length;
    const { orderId, bankOrderId } = await paidOrder();
    expect(named(mark, ORDERS_CREATED)).toHaveLength(1);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    await waitFor(() => named(mark, ORDERS_PAID).length > 0);
    // Polls after it, one asking the bank again: no second "paid".
    await fx.getOrder(orderId);
    await fx.merchant("GET /merchant/orders/{orderId}", {
      path: `/merchant/orders/${orderId}`,
      pathParameters: { orderId },
      query: "refresh=true",
    });
    expect(named(mark, ORDERS_PAID)).toEqual([
      { name: ORDERS_PAID, value: 1, options: { dimensions: { Currency: "GEL" } } },
    ]);
    expect(named(mark, PAID_AMOUNT)).toEqual([
      { name: PAID_AMOUNT, value: 25, options: { unit: "None", dimensions: { Currency: "GEL" } } },
    ]);
    const outcomes = named(mark, CALLBACKS).map((r) => r.options.dimensions?.Outcome);
    expect(outcomes).toContain("stored");
    // The bank's calls, timed by operation.
    const latency = named(mark, BANK_LATENCY);
    expect(latency.map((r) => r.options.dimensions?.Operation)).toContain("createOrder");
    for (const record of latency) {
      expect(record.options.unit).toBe("Milliseconds");
      expect(record.value).toBeGreaterThanOrEqual(0);
    }
    expect(named(mark, BANK_ERRORS)).toEqual([]);
  });

  it("a replay of the same order is not a second creation", async () => {
    const key = randomUUID();
    const body = { items: [{ productId: "sku-cup", quantity: 1 }] };
    await fx.postOrder(body, { "idempotency-key": key });
    const mark = fx.metricRecords.length;
    await fx.postOrder(body, { "idempotency-key": key });
    expect(named(mark, ORDERS_CREATED)).toEqual([]);
  });

  it("rejected and refunded are counted by currency", async () => {
    const rejected = await paidOrder();
    const mark = fx.metricRecords.length;
    await post(fx.sandbox(), `/_sandbox/orders/${rejected.bankOrderId}/pay`, {
      outcome: "rejected",
    });
    await waitFor(() => named(mark, ORDERS_REJECTED).length > 0);
    expect(named(mark, ORDERS_REJECTED)).toEqual([
      { name: ORDERS_REJECTED, value: 1, options: { dimensions: { Currency: "GEL" } } },
    ]);
    expect(named(mark, ORDERS_PAID)).toEqual([]);

    const paid = await paidOrder();
    await post(fx.sandbox(), `/_sandbox/orders/${paid.bankOrderId}/pay`, { outcome: "completed" });
    await waitFor(() => named(mark, ORDERS_PAID).length > 0);
    const refunded = await fx.merchant("POST /merchant/orders/{orderId}/refund", {
      path: `/merchant/orders/${paid.orderId}/refund`,
      pathParameters: { orderId: paid.orderId },
      body: { amount: "5.00" },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(refunded.status).toBe(202);
    await waitFor(() => named(mark, ORDERS_REFUNDED).length > 0);
    expect(named(mark, ORDERS_REFUNDED)).toEqual([
      { name: ORDERS_REFUNDED, value: 1, options: { dimensions: { Currency: "GEL" } } },
    ]);
  });

  it("a bank that is down: its errors and the time they took, by operation", async () => {
    await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] }); // a warm token
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 3 });
    const mark = fx.metricRecords.length;
    const answer = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(named(mark, BANK_ERRORS)).toEqual([
      { name: BANK_ERRORS, value: 1, options: { dimensions: { Operation: "createOrder" } } },
    ]);
    expect(named(mark, BANK_LATENCY).map((r) => r.options.dimensions?.Operation)).toEqual([
      "createOrder",
    ]);
    expect(named(mark, ORDERS_CREATED)).toEqual([]);
  });

  it("a callback that is not a payment event is counted by its refusal", async () => {
    const mark = fx.metricRecords.length;
    const answer = await fx.callback(Buffer.from("{}"));
    expect(answer.status).toBe(400);
    expect(named(mark, CALLBACKS).map((r) => r.options.dimensions?.Outcome)).toEqual([
      "invalid_request",
    ]);
  });
});
