import { describe, expect, it } from "vitest";
import { get, post } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { merchantCreate, merchantOperation } from "../../support/merchant-calls.js";

/**
 * An operation the bank accepts and then rejects (its `actions[]` entry `rejected`,
 * docs/merchant-api.md): the bank sends no callback, so the order stays open; the next word from
 * the bank, a lookup by the sweep or by the merchant, makes the operation `rejected`,
 * frees what it held and lets the order leave the open orders.
 */

const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

async function paidOrder(): Promise<{ orderId: string; bankOrderId: string }> {
  const created = await merchantCreate(fx, {
    currency: "GEL",
    items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "25.00" }],
  });
  expect(created.status).toBe(201);
  const orderId = created.body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
  return { orderId, bankOrderId };
}

const show = (orderId: string, query?: string) =>
  fx.merchant("GET /merchant/orders/{orderId}", {
    path: `/merchant/orders/${orderId}`,
    pathParameters: { orderId },
    ...(query ? { query } : {}),
  });

describe("a refund the bank accepts, then rejects", () => {
  it("found by the merchant's refresh: rejected, its amount free again", async () => {
    const { orderId, bankOrderId } = await paidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "refund", outcome: "rejected" });
    const refund = await merchantOperation(fx, orderId, "refund", { amount: "10.00" });
    expect(refund.status).toBe(202);
    expect((await show(orderId)).body.operations).toEqual([
      expect.objectContaining({ kind: "refund", state: "requested" }),
    ]);
    const actions = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body.actions;
    expect(actions).toEqual([expect.objectContaining({ status: "rejected", amount: "10.0" })]);

    const refreshed = await show(orderId, "refresh=true");
    expect(refreshed.body).toMatchObject({ status: "completed", refundedAmount: null });
    expect(refreshed.body.operations).toEqual([
      expect.objectContaining({ operationId: refund.body.operationId, state: "rejected" }),
    ]);
    // All 25.00 is refundable again.
    const again = await merchantOperation(fx, orderId, "refund", { amount: "25.00" });
    expect(again.status).toBe(202);
  });

  it("found by the sweep with nobody asking: rejected, the order out of the open orders", async () => {
    const { orderId } = await paidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "refund", outcome: "rejected" });
    expect((await merchantOperation(fx, orderId, "refund", { amount: "5.00" })).status).toBe(202);
    const report = await fx.sweep();
    expect(report).toMatchObject({ checked: 1 });
    const stored = await fx.handlers().orders.get(orderId);
    expect(stored?.operations.map((op) => op.state)).toEqual(["rejected"]);
    expect(stored?.refundCommitted).toBe(0);
    expect((await fx.sweep()).checked).toBe(0);
  });
});
