import { randomUUID } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { get, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";

/**
 * The bank's document on installments and campaigns (docs/create-order-options.md): `config.loan` is
 * necessary for an order payable only by `bog_loan` or only by `bnpl`, its `type` and
 * `month` each optional; a campaign's `card` and `type` each optional. On both create
 * paths; a refusal is a 400 with its path, nothing stored, nothing sent.
 */

const fx = useFunctions();

const MERCHANT = {
  currency: "GEL",
  items: [{ productId: "tv", description: "Television", quantity: 1, unitPrice: "1200.00" }],
};

const merchantCreate = (body: unknown) =>
  fx.merchant("POST /merchant/orders", {
    path: "/merchant/orders",
    body,
    headers: { "idempotency-key": randomUUID() },
  });

const sentConfig = async (orderId: string) =>
  (
    (await get(fx.sandbox(), `/_sandbox/orders/${await bankOrderIdOf(fx, orderId)}/request`))
      .body as { config: Record<string, unknown> }
  ).config;

async function storedOrders(): Promise<number> {
  const { Items } = await fx
    .handlers()
    .doc.send(new ScanCommand({ TableName: fx.tables().orders }));
  return Items?.length ?? 0;
}

describe("loan required for an order payable only by installments or BNPL", () => {
  it.each([["bog_loan"], ["bnpl"]])(
    "[%s] without loan: 400 on loan, on both paths, nothing stored or sent",
    async (method) => {
      const before = {
        stored: await storedOrders(),
        sent: (await stats(fx.sandbox())).createOrder,
      };
      const publicAnswer = await fx.postOrder({
        items: [{ productId: "sku-cup", quantity: 1 }],
        paymentMethods: [method],
      });
      const merchantAnswer = await merchantCreate({ ...MERCHANT, paymentMethods: [method] });
      for (const answer of [publicAnswer, merchantAnswer]) {
        expect(answer.status).toBe(400);
        expect(answer.body.error).toMatchObject({
          code: "invalid_request",
          details: [{ path: "loan" }],
        });
      }
      expect(await storedOrders()).toBe(before.stored);
      expect((await stats(fx.sandbox())).createOrder).toBe(before.sent);
    },
  );

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["neither code nor months", {}, {}],
    ["months only", { months: 6 }, { month: 6 }],
    ["code only", { code: "zero-6" }, { type: "zero-6" }],
  ])("loan with %s is accepted and sent as given", async (_case, loan, config) => {
    const answer = await merchantCreate({ ...MERCHANT, paymentMethods: ["bog_loan"], loan });
    expect(answer.status).toBe(201);
    expect((await sentConfig(answer.body.orderId as string)).loan).toEqual(config);
    const detail = await fx.merchant("GET /merchant/orders/{orderId}", {
      path: `/merchant/orders/${answer.body.orderId}`,
      pathParameters: { orderId: answer.body.orderId as string },
    });
    expect((detail.body.options as { loan: unknown }).loan).toEqual({
      code: (loan.code as string | undefined) ?? null,
      months: (loan.months as number | undefined) ?? null,
    });
  });

  it.each([
    ["months 0", { months: 0 }],
    ["months 1.5", { months: 1.5 }],
    ["months -1", { months: -1 }],
    ["months as a string", { months: "12" }],
  ])("%s: 400 on loan.months", async (_case, loan) => {
    const answer = await merchantCreate({ ...MERCHANT, paymentMethods: ["bnpl"], loan });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ details: [{ path: "loan.months" }] });
  });
});

describe("a campaign's card and type, each optional", () => {
  it.each<[string, Record<string, unknown>]>([
    ["card only", { card: "visa" }],
    ["type only", { type: "restrict" }],
  ])("%s: accepted and sent as given", async (_case, campaign) => {
    const answer = await merchantCreate({ ...MERCHANT, campaign });
    expect(answer.status).toBe(201);
    expect((await sentConfig(answer.body.orderId as string)).campaign).toEqual(campaign);
  });
});
