import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { merchantOperation } from "../../support/merchant-calls.js";

/**
 * A pre-authorization the bank discounted (docs/merchant-api.md, docs/create-order-options.md): 25.00 asked, a card
 * campaign takes 10 % off, 22.50 blocked. A capture is at most what was blocked, the
 * refunds at most what was captured; above either is 409 before the bank is asked, and
 * what is stored and reported is what the bank holds, to the tetri.
 */

const fx = useFunctions();

async function discountedHold(): Promise<{ orderId: string; bankOrderId: string }> {
  const created = await fx.merchant("POST /merchant/orders", {
    path: "/merchant/orders",
    body: {
      currency: "GEL",
      capture: "manual",
      paymentMethods: ["card"],
      campaign: { card: "visa", type: "client_discount" },
      items: [{ productId: "lamp", description: "Lamp", quantity: 1, unitPrice: "25.00" }],
    },
    headers: { "idempotency-key": randomUUID() },
  });
  expect(created.status).toBe(201);
  const orderId = created.body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
    outcome: "completed",
    cardType: "visa",
  });
  const held = await fx.handlers().orders.get(orderId);
  expect(held).toMatchObject({ status: "blocked", authorizedAmount: 2250 });
  return { orderId, bankOrderId };
}

const bankHolds = async (bankOrderId: string) =>
  (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body as {
    order_status: { key: string };
    purchase_units: { transfer_amount: string; refund_amount: string | null };
  };

describe("a hold the bank discounted", () => {
  it("a capture above what was blocked: 409 amount_exceeds_balance, the bank not asked", async () => {
    const { orderId } = await discountedHold();
    const approvesBefore = (await stats(fx.sandbox())).approve;
    const answer = await merchantOperation(fx, orderId, "capture", { amount: "25.00" });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({
      code: "amount_exceeds_balance",
      message: "at most 22.50 GEL is authorized",
    });
    expect((await stats(fx.sandbox())).approve).toBe(approvesBefore);
  });

  it("captured and refunded to the tetri the bank holds", async () => {
    const { orderId, bankOrderId } = await discountedHold();
    const capture = await merchantOperation(fx, orderId, "capture");
    expect(capture.status).toBe(202);
    expect(capture.body).toMatchObject({ kind: "capture", amount: "22.50" });
    const captured = await fx.handlers().orders.get(orderId);
    expect(captured).toMatchObject({ status: "completed", capturedAmount: 2250 });
    expect((await bankHolds(bankOrderId)).purchase_units.transfer_amount).toBe("22.5");

    const tooMuch = await merchantOperation(fx, orderId, "refund", { amount: "25.00" });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: "amount_exceeds_balance" });

    const refund = await merchantOperation(fx, orderId, "refund");
    expect(refund.status).toBe(202);
    expect(refund.body).toMatchObject({ kind: "refund", amount: "22.50" });
    const refunded = await fx.handlers().orders.get(orderId);
    expect(refunded?.status).toBe("refunded");
    expect(refunded?.refundAmount).toBe(2250);
    // Both asked within one second: their order in the list is not the point here.
    expect(refunded?.operations.map((op) => [op.kind, op.state, op.amount]).sort()).toEqual([
      ["capture", "completed", 2250],
      ["refund", "completed", 2250],
    ]);
    expect((await bankHolds(bankOrderId)).purchase_units.refund_amount).toBe("22.5");
  });
});
