import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { get, stats } from "../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../support/functions.js";

/**
 * docs/create-order-options.md, the options beyond the basket, on both create paths: installments
 * (the customer's choice), the shop's campaign and POS account (settings for public
 * orders, the trusted request for merchant orders). Each reaches the sandbox in the
 * bank's shape and is kept on the order; bad ones are 400 with nothing sent.
 */

const fx = useFunctions({
  env: { BOG_CAMPAIGN: "visa:client_discount", BOG_ACCOUNT_TAG: "pos-2" },
});

const sentRequest = async (bankOrderId: string) =>
  (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/request`)).body as {
    payment_method: string[] | null;
    config: Record<string, unknown>;
  };

const MERCHANT = {
  currency: "GEL",
  items: [{ productId: "tv", description: "Television", quantity: 1, unitPrice: "1200.00" }],
};

async function merchantCreate(body: unknown) {
  return fx.merchant("POST /merchant/orders", {
    path: "/merchant/orders",
    body,
    headers: { "idempotency-key": randomUUID() },
  });
}

describe("public orders (POST /orders)", () => {
  it("the shop's campaign and POS account come from its settings", async () => {
    const answer = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    expect(answer.status).toBe(201);
    const sent = await sentRequest(await bankOrderIdOf(fx, answer.body.orderId as string));
    expect(sent.config).toMatchObject({
      campaign: { card: "visa", type: "client_discount" },
      account: { tag: "pos-2" },
    });
  });

  it("installments: loan with bog_loan reaches the bank as config.loan (no card campaign with it)", async () => {
    const answer = await fx.postOrder({
      items: [{ productId: "sku-cup", quantity: 2 }],
      paymentMethods: ["bog_loan"],
      loan: { code: "zero-12", months: 12 },
    });
    expect(answer.status).toBe(201);
    const sent = await sentRequest(await bankOrderIdOf(fx, answer.body.orderId as string));
    expect(sent.payment_method).toEqual(["bog_loan"]);
    expect(sent.config).toMatchObject({
      loan: { type: "zero-12", month: 12 },
      account: { tag: "pos-2" },
    });
    expect(sent.config.campaign ?? null).toBeNull();
    const stored = await fx.handlers().orders.get(answer.body.orderId as string);
    expect(stored?.options).toMatchObject({ loan: { type: "zero-12", month: 12 } });
  });

  it.each([
    ["loan with card", { paymentMethods: ["card"], loan: { code: "z", months: 12 } }],
    [
      "loan with two methods",
      { paymentMethods: ["bog_loan", "card"], loan: { code: "z", months: 12 } },
    ],
    ["loan without methods", { loan: { code: "z", months: 12 } }],
    ["months 0", { paymentMethods: ["bnpl"], loan: { code: "z", months: 0 } }],
    ["months 1.5", { paymentMethods: ["bnpl"], loan: { code: "z", months: 1.5 } }],
    ["an empty code", { paymentMethods: ["bnpl"], loan: { code: "", months: 3 } }],
    ["a campaign from the browser", { campaign: { card: "visa", type: "restrict" } }],
  ])("%s: 400, nothing sent to the bank", async (_case, extra) => {
    const before = (await stats(fx.sandbox())).createOrder;
    const answer = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }], ...extra });
    if (_case === "a campaign from the browser") {
      // Unknown fields of the public API are ignored, never used: the setting wins.
      expect(answer.status).toBe(201);
      const sent = await sentRequest(await bankOrderIdOf(fx, answer.body.orderId as string));
      expect(sent.config).toMatchObject({ campaign: { card: "visa", type: "client_discount" } });
      return;
    }
    expect(answer.status).toBe(400);
    expect((await stats(fx.sandbox())).createOrder).toBe(before);
  });
});

describe("merchant orders (POST /merchant/orders)", () => {
  it("installments from the trusted request", async () => {
    const answer = await merchantCreate({
      ...MERCHANT,
      paymentMethods: ["bnpl"],
      loan: { code: "bnpl-4", months: 4 },
    });
    expect(answer.status).toBe(201);
    const sent = await sentRequest(await bankOrderIdOf(fx, answer.body.orderId as string));
    expect(sent.config).toMatchObject({ loan: { type: "bnpl-4", month: 4 } });
  });

  it("campaign and account tag from the trusted request, kept and shown", async () => {
    const answer = await merchantCreate({
      ...MERCHANT,
      campaign: { card: "mc", type: "restrict" },
      accountTag: "pos-7",
    });
    expect(answer.status).toBe(201);
    const orderId = answer.body.orderId as string;
    const sent = await sentRequest(await bankOrderIdOf(fx, orderId));
    expect(sent.config).toMatchObject({
      campaign: { card: "mc", type: "restrict" },
      account: { tag: "pos-7" },
    });
    const detail = await fx.merchant("GET /merchant/orders/{orderId}", {
      path: `/merchant/orders/${orderId}`,
      pathParameters: { orderId },
    });
    expect(detail.body.options).toEqual({
      loan: null,
      campaign: { card: "mc", type: "restrict" },
      accountTag: "pos-7",
    });
  });

  it.each([
    ["an unknown campaign card", { campaign: { card: "amex", type: "restrict" } }],
    ["an unknown campaign type", { campaign: { card: "visa", type: "cashback" } }],
    ["an account tag over 64 characters", { accountTag: "t".repeat(65) }],
    ["loan with card", { paymentMethods: ["card"], loan: { code: "z", months: 3 } }],
    [
      "a campaign without card",
      {
        paymentMethods: ["bnpl"],
        loan: { code: "z", months: 3 },
        campaign: { card: "visa", type: "restrict" },
      },
    ],
  ])("%s: 400, nothing sent to the bank", async (_case, extra) => {
    const before = (await stats(fx.sandbox())).createOrder;
    const answer = await merchantCreate({ ...MERCHANT, ...extra });
    expect(answer.status).toBe(400);
    expect((await stats(fx.sandbox())).createOrder).toBe(before);
  });
});

describe("when the bank discounts", () => {
  it("a client_discount campaign paid with its card: the callback is accepted, the charge and discount kept, refunds bounded by the charge", async () => {
    const created = await merchantCreate({
      ...MERCHANT,
      campaign: { card: "visa", type: "client_discount" },
    });
    expect(created.status).toBe(201);
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    const { post } = await import("../support/bank-calls.js");
    const paid = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
      outcome: "completed",
      paymentMethod: "card",
      cardType: "visa",
    });
    expect(paid.status).toBe(200);
    const show = () =>
      fx.merchant("GET /merchant/orders/{orderId}", {
        path: `/merchant/orders/${orderId}`,
        pathParameters: { orderId },
      });
    const detail = await show();
    expect(detail.body).toMatchObject({
      status: "completed",
      amount: "1200.00",
      chargedAmount: "1080.00",
      discount: expect.objectContaining({ discountedAmount: "1080.00" }),
      anomalies: [],
    });
    const refund = (amount?: string) =>
      fx.merchant("POST /merchant/orders/{orderId}/refund", {
        path: `/merchant/orders/${orderId}/refund`,
        pathParameters: { orderId },
        body: amount === undefined ? {} : { amount },
        headers: { "idempotency-key": randomUUID() },
      });
    const over = await refund("1080.01");
    expect((over.body.error as { code: string }).code).toBe("amount_exceeds_balance");
    const all = await refund();
    expect(all.status).toBe(202);
    expect(all.body.amount).toBe("1080.00");
  });
});
