import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { BogClient, CreateOrderRequest, WalletOrderRequest } from "../../../lib/bog/client.js";
import { BankRejectedError, BankResponseError } from "../../../lib/errors.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { container, forgetSharedToken, soon } from "../../support/bank-container.js";
import { useDynamoTables } from "../../support/dynamo-fixture.js";
import { useSandbox } from "../../support/sandbox-fixture.js";

/** The client sends every create-order option in the bank's shape; the sandbox shows what arrived. */

const { sandbox, receiver } = useSandbox();
const tables = useDynamoTables();

beforeEach(async () => {
  await forgetSharedToken(sandbox(), tables());
});

type Json = Record<string, unknown>;
const key = () => randomUUID();
const client = (): BogClient => container(sandbox(), tables()).client;
const call = () => ({ idempotencyKey: key(), deadline: soon() });

function order(overrides: Partial<CreateOrderRequest> = {}): CreateOrderRequest {
  return {
    callbackUrl: receiver().url,
    externalOrderId: "9a1f3c2e-0b4d-4e6f-8a7b-1c2d3e4f5a6b",
    currency: "GEL",
    total: 2800,
    basket: [
      { productId: "sku-cup", description: "Espresso cup", quantity: 2, unitPrice: 1250 },
      { productId: "sku-spoon", quantity: 1, unitPrice: 300 },
    ],
    ...overrides,
  };
}

function wallet(
  config: WalletOrderRequest["config"],
  methods: WalletOrderRequest["paymentMethods"],
) {
  const { config: _none, ...base } = order();
  return { ...base, paymentMethods: methods, config } satisfies WalletOrderRequest;
}

const sandboxRequest = async (bankOrderId: string) =>
  (await get(sandbox(), `/_sandbox/orders/${bankOrderId}/request`)).body;

function lastCallback(): Json {
  const raw = receiver().received.at(-1)?.raw.toString("utf8") ?? "{}";
  return (JSON.parse(raw) as { body: Json }).body;
}

describe("bank client: create-order options", () => {
  it("sends an installment plan, the application type and per-item discounts", async () => {
    const created = await client().createOrder(
      order({
        applicationType: "mobile",
        paymentMethods: ["bog_loan"],
        config: { loan: { type: "zero-12", month: 12 } },
        total: 2300,
        basket: [
          {
            productId: "sku-cup",
            quantity: 2,
            unitPrice: 1250,
            unitDiscountPrice: 250,
            productDiscountId: "BF222R5",
          },
          { productId: "sku-spoon", quantity: 1, unitPrice: 300 },
        ],
      }),
      call(),
    );
    expect(created.status).toBeNull();
    expect(created.acceptUrl).toBeNull();
    const request = await sandboxRequest(created.bankOrderId);
    expect(request).toMatchObject({
      application_type: "mobile",
      payment_method: ["bog_loan"],
      config: { loan: { type: "zero-12", month: 12 }, campaign: null, account: null },
      basket: [
        {
          product_id: "sku-cup",
          unit_price: 12.5,
          unit_discount_price: 2.5,
          product_discount_id: "BF222R5",
        },
        {
          product_id: "sku-spoon",
          unit_price: 3,
          unit_discount_price: 0,
          product_discount_id: null,
        },
      ],
    });
    const page = await (await fetch(created.redirectUrl)).text();
    expect(page).toContain("zero-12, 12 თვე");
    const details = await client().getPaymentDetails(created.bankOrderId, { deadline: soon() });
    expect(details.requestAmount).toBe(2300);
  });

  it("sends a card campaign and an account tag; reads the discount and the tags back", async () => {
    const created = await client().createOrder(
      order({
        paymentMethods: ["card"],
        config: { campaign: { card: "visa", type: "client_discount" }, account: { tag: "gev2" } },
      }),
      call(),
    );
    const request = await sandboxRequest(created.bankOrderId);
    expect(request.config).toMatchObject({
      campaign: { card: "visa", type: "client_discount" },
      account: { tag: "gev2" },
    });
    await post(sandbox(), `/_sandbox/orders/${created.bankOrderId}/pay`, {
      outcome: "completed",
      cardType: "visa",
    });
    const details = await client().getPaymentDetails(created.bankOrderId, { deadline: soon() });
    expect(details).toMatchObject({
      status: "completed",
      requestAmount: 2800,
      transferAmount: 2520,
      requestAccountTag: "gev2",
      transferAccountTag: "gev2",
      discount: {
        bankDiscountAmount: 280,
        bankDiscountDesc: "Sandbox card campaign: 10% off with visa",
        systemDiscountAmount: 0,
        discountedAmount: 2520,
        originalOrderAmount: 2800,
      },
    });
  });

  it("Google Pay on the shop's page: paid at once, no page, a callback", async () => {
    const created = await client().createOrder(
      wallet({ googlePay: { external: true, token: '{"signature":"MEY…"}' } }, ["google_pay"]),
      call(),
    );
    expect(created).toEqual({
      bankOrderId: created.bankOrderId,
      status: "completed",
      redirectUrl: null,
      acceptUrl: null,
      detailsUrl: `${sandbox().url}/payments/v1/receipt/${created.bankOrderId}`,
    });
    expect((await sandboxRequest(created.bankOrderId)).config).toMatchObject({
      google_pay: { external: true, google_pay_token: '{"signature":"MEY…"}' },
    });
    await receiver().waitFor(1);
    expect(lastCallback().payment_detail).toMatchObject({ transfer_method: { key: "google_pay" } });
    const details = await client().getPaymentDetails(created.bankOrderId, { deadline: soon() });
    expect(details).toMatchObject({ status: "completed", paymentMethod: "google_pay" });
  });

  it("Google Pay with 3-D Secure: created, with the page to finish on", async () => {
    const created = await client().createOrder(
      wallet({ googlePay: { external: true, token: "sandbox-3ds" } }, ["google_pay"]),
      call(),
    );
    expect(created.status).toBe("created");
    expect(created.redirectUrl).toBe(`${sandbox().url}/?order_id=${created.bankOrderId}`);
    expect(receiver().received).toHaveLength(0);
  });

  it("Apple Pay on the shop's page: the accept link, then the token pays it", async () => {
    const bank = client();
    const created = await bank.createOrder(
      { ...wallet({ applePay: { external: true } }, ["apple_pay"]), applicationType: "web" },
      call(),
    );
    expect(created).toEqual({
      bankOrderId: created.bankOrderId,
      status: null,
      redirectUrl: null,
      acceptUrl: `${sandbox().url}/payments/v1/ecommerce/orders/${created.bankOrderId}/payment`,
      detailsUrl: null,
    });
    expect(await sandboxRequest(created.bankOrderId)).toMatchObject({
      application_type: "web",
      config: { apple_pay: { external: true } },
    });
    const options = call();
    const paid = await bank.completeApplePay(created.bankOrderId, '{"paymentData":{}}', options);
    expect(paid).toEqual({
      bankOrderId: created.bankOrderId,
      status: "completed",
      // order_details: the payment's details, read as the receipt is.
      details: expect.objectContaining({
        bankOrderId: created.bankOrderId,
        knownStatus: "completed",
        paymentMethod: "apple_pay",
      }),
      detailsUrl: `${sandbox().url}/payments/v1/receipt/${created.bankOrderId}`,
    });
    // A retry with the same key (an answer lost on the way) gets the same answer, pays once.
    expect(await bank.completeApplePay(created.bankOrderId, '{"paymentData":{}}', options)).toEqual(
      paid,
    );
    expect((await stats(sandbox())).applePay).toBe(2);
    await receiver().waitFor(1);
    expect(lastCallback().payment_detail).toMatchObject({ transfer_method: { key: "apple_pay" } });
  });

  it("passes on the bank's refusal of an Apple Pay token", async () => {
    const bank = client();
    const created = await bank.createOrder(
      wallet({ applePay: { external: true } }, ["apple_pay"]),
      call(),
    );
    const refused = bank.completeApplePay(created.bankOrderId, "", call());
    await expect(refused).rejects.toBeInstanceOf(BankRejectedError);
    await expect(bank.completeApplePay(created.bankOrderId, "", call())).rejects.toThrow(
      "apple_pay_token is required",
    );
  });

  it("treats an answer without a page as broken for an order paid on the bank's page", async () => {
    const bank = client();
    const options = call();
    // The bank replays an Idempotency-Key's first answer: here an Apple Pay one, without a page.
    await bank.createOrder(wallet({ applePay: { external: true } }, ["apple_pay"]), options);
    await expect(bank.createOrder(order(), options)).rejects.toBeInstanceOf(BankResponseError);
  });
});
