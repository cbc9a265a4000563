import { sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { get, post } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";

/**
 * What the bank's word leaves on the order besides its status (`applyBankState` in
 * `order-store.ts`): the amount charged, from the first word that the payment
 * completed (what refunds are bounded by); a partial capture's amount; the bank's
 * discount. Each callback here is the sandbox's own details, changed where the test
 * says, signed as the bank signs.
 */
const fx = useFunctions();
const BASKET = { items: [{ productId: "sku-cup", quantity: 2 }] }; // 25.00 GEL

async function unpaidOrder() {
  const { body } = await fx.postOrder(BASKET);
  const orderId = body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  // The sandbox's own callbacks would race the ones sent here.
  await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
  return { orderId, bankOrderId };
}

async function callback(
  bankOrderId: string,
  status: string,
  purchase: Record<string, unknown>,
  more: Record<string, unknown> = {},
) {
  const body = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
  const units = body.purchase_units as Record<string, unknown>;
  const event = {
    event: "order_payment",
    zoned_request_time: "x",
    body: {
      ...body,
      ...more,
      order_status: { key: status },
      purchase_units: { ...units, ...purchase },
    },
  };
  const raw = Buffer.from(JSON.stringify(event));
  const signature = sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64");
  const answer = await fx.callback(raw, { "callback-signature": signature });
  expect(answer.status).toBe(200);
  return answer.body.outcome;
}

const stored = async (orderId: string) => {
  const order = await fx.handlers().orders.get(orderId);
  if (!order) throw new Error(`no order ${orderId}`);
  return order;
};

describe("the amount charged", () => {
  it("is the transfer amount of the word that completed the payment", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    expect(await callback(bankOrderId, "completed", { transfer_amount: "25.00" })).toBe("stored");
    expect(await stored(orderId)).toMatchObject({ chargedAmount: 2500, capturedAmount: null });
  });

  it("is kept when later words show less (refunds)", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    await callback(bankOrderId, "completed", { transfer_amount: "25.00" });
    expect(
      await callback(bankOrderId, "refunded_partially", {
        transfer_amount: "20.00",
        refund_amount: "5.00",
      }),
    ).toBe("stored");
    expect(await stored(orderId)).toMatchObject({
      status: "refunded_partially",
      refundAmount: 500,
      chargedAmount: 2500,
    });
  });

  it("is not set by a zero transfer amount, nor by a word that is not a completed payment", async () => {
    const zero = await unpaidOrder();
    await callback(zero.bankOrderId, "completed", { transfer_amount: "0.00" });
    expect(await stored(zero.orderId)).toMatchObject({ status: "completed", chargedAmount: null });

    const declined = await unpaidOrder();
    await callback(declined.bankOrderId, "rejected", { transfer_amount: "25.00" });
    expect(await stored(declined.orderId)).toMatchObject({
      status: "rejected",
      chargedAmount: null,
    });
  });

  it("a partial capture: what the bank took is both charged and captured", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    expect(await callback(bankOrderId, "partial_completed", { transfer_amount: "10.00" })).toBe(
      "stored",
    );
    expect(await stored(orderId)).toMatchObject({
      status: "partial_completed",
      chargedAmount: 1000,
      capturedAmount: 1000,
    });
  });
});

describe("the bank's discount", () => {
  it("is kept when the bank gives one, and absent when it does not", async () => {
    const discounted = await unpaidOrder();
    await callback(
      discounted.bankOrderId,
      "completed",
      { transfer_amount: "22.50" },
      {
        discount: {
          bank_discount_amount: "2.50",
          bank_discount_desc: "card promotion",
          system_discount_amount: "0.0",
          system_discount_desc: null,
          discounted_amount: "22.50",
          original_order_amount: "25.00",
        },
      },
    );
    expect((await stored(discounted.orderId)).bankDiscount).toMatchObject({
      bankDiscountAmount: 250,
      bankDiscountDesc: "card promotion",
      discountedAmount: 2250,
    });

    const plain = await unpaidOrder();
    await callback(
      plain.bankOrderId,
      "completed",
      { transfer_amount: "25.00" },
      { discount: null },
    );
    expect((await stored(plain.orderId)).bankDiscount).toBeNull();
  });
});
