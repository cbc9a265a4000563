import { randomUUID } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { get, stats } from "../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../support/functions.js";

/**
 * A pre-authorization only for card, Google Pay and Apple Pay payments (the bank's
 * create order, `capture`; docs/create-order-options.md), on both create paths: refused with 400 and its
 * path before anything is stored or sent; a manual shop's public orders get card.
 */

const fx = useFunctions({ env: { CAPTURE_MODE: "manual" } });

const BASKET = {
  currency: "GEL",
  items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "10.00" }],
};

const merchantCreate = (body: unknown) =>
  fx.merchant("POST /merchant/orders", {
    path: "/merchant/orders",
    body,
    headers: { "idempotency-key": randomUUID() },
  });

async function storedOrders(): Promise<number> {
  const { Items } = await fx
    .handlers()
    .doc.send(new ScanCommand({ TableName: fx.tables().orders }));
  return Items?.length ?? 0;
}

const sentMethods = async (orderId: string) =>
  (await get(fx.sandbox(), `/_sandbox/orders/${await bankOrderIdOf(fx, orderId)}/request`))
    .body as { payment_method: string[]; capture: string };

describe("capture manual on POST /merchant/orders", () => {
  it.each([
    ["bog_p2p", ["bog_p2p"]],
    ["bog_loyalty", ["bog_loyalty"]],
    ["bnpl with its loan", ["bnpl"]],
    ["bog_loan with its loan", ["bog_loan"]],
    ["gift_card", ["gift_card"]],
    ["card and bog_p2p", ["card", "bog_p2p"]],
  ])("%s: 400 on paymentMethods, nothing stored, nothing sent", async (_case, methods) => {
    const before = { stored: await storedOrders(), sent: (await stats(fx.sandbox())).createOrder };
    const loan = methods.length === 1 && /bnpl|bog_loan/.test(methods[0] ?? "");
    const answer = await merchantCreate({
      ...BASKET,
      capture: "manual",
      paymentMethods: methods,
      ...(loan ? { loan: { code: "z", months: 6 } } : {}),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: "invalid_request",
      details: [{ path: "paymentMethods" }],
    });
    expect(await storedOrders()).toBe(before.stored);
    expect((await stats(fx.sandbox())).createOrder).toBe(before.sent);
  });

  it("no methods with capture manual asked for: 400, nothing stored, nothing sent", async () => {
    const before = await storedOrders();
    const answer = await merchantCreate({ ...BASKET, capture: "manual" });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ details: [{ path: "paymentMethods" }] });
    expect(await storedOrders()).toBe(before);
  });

  it("card and the wallets: a hold, sent as asked", async () => {
    const answer = await merchantCreate({
      ...BASKET,
      capture: "manual",
      paymentMethods: ["card", "google_pay", "apple_pay"],
    });
    expect(answer.status).toBe(201);
    expect(await sentMethods(answer.body.orderId as string)).toMatchObject({
      capture: "manual",
      payment_method: ["card", "google_pay", "apple_pay"],
    });
  });

  it("the shop's manual setting and no methods named: card", async () => {
    const answer = await merchantCreate(BASKET);
    expect(answer.status).toBe(201);
    expect(await sentMethods(answer.body.orderId as string)).toMatchObject({
      capture: "manual",
      payment_method: ["card"],
    });
  });
});

describe("a manual shop's public orders (POST /orders)", () => {
  it("no methods named: card", async () => {
    const answer = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    expect(answer.status).toBe(201);
    expect(await sentMethods(answer.body.orderId as string)).toMatchObject({
      capture: "manual",
      payment_method: ["card"],
    });
  });

  it("bog_p2p named: 400 on paymentMethods, nothing stored", async () => {
    const before = await storedOrders();
    const answer = await fx.postOrder({
      items: [{ productId: "sku-cup", quantity: 1 }],
      paymentMethods: ["bog_p2p"],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ details: [{ path: "paymentMethods" }] });
    expect(await storedOrders()).toBe(before);
  });
});
