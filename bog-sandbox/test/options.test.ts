import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOrder, get, post, stats, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

/** Every create-order option the bank documents: its rules and what the sandbox does with it. */

const { sandbox, receiver } = useSandbox();

type Json = Record<string, unknown>;

async function create(overrides: Json = {}, headers: Record<string, string> = {}) {
  const accessToken = await token(sandbox());
  const answer = await createOrder(
    sandbox(),
    accessToken,
    validOrder(receiver().url, overrides),
    headers,
  );
  return { ...answer, accessToken };
}

async function created(overrides: Json = {}) {
  const answer = await create(overrides);
  expect(answer.status, answer.text).toBe(200);
  return { id: answer.body.id as string, body: answer.body, accessToken: answer.accessToken };
}

const receipt = async (id: string) => (await get(sandbox(), `/_sandbox/orders/${id}`)).body;
const payControl = (id: string, body: Json) => post(sandbox(), `/_sandbox/orders/${id}/pay`, body);

function callbackBody(index = 0): Json {
  const raw = receiver().received[index]?.raw.toString("utf8") ?? "{}";
  return (JSON.parse(raw) as { body: Json }).body;
}

const applePay = (id: string, body: unknown, accessToken: string, key?: string) =>
  post(sandbox(), `/payments/v1/ecommerce/orders/${id}/payment`, body, {
    authorization: `Bearer ${accessToken}`,
    ...(key ? { "idempotency-key": key } : {}),
  });

const LOAN = { payment_method: ["bog_loan"], config: { loan: { type: "zero-12", month: 12 } } };
const GOOGLE = (token: unknown, extra: Json = {}) => ({
  payment_method: ["google_pay"],
  config: { google_pay: { external: true, google_pay_token: token } },
  ...extra,
});
const APPLE = { payment_method: ["apple_pay"], config: { apple_pay: { external: true } } };

describe("sandbox create-order options: rules", () => {
  it.each<[string, Json, string]>([
    ["config not an object", { config: [1] }, "config must be an object"],
    [
      "bog_loan only, without config.loan",
      { payment_method: ["bog_loan"] },
      'config.loan is necessary when payment_method is only ["bog_loan"]',
    ],
    [
      "bnpl only, without config.loan",
      { payment_method: ["bnpl"], config: { account: { tag: "t" } } },
      'config.loan is necessary when payment_method is only ["bnpl"]',
    ],
    [
      "a loan of 0 months",
      { ...LOAN, config: { loan: { type: "x", month: 0 } } },
      "config.loan.month must be a whole number of months, at least 1 (a sandbox reading",
    ],
    [
      "a loan of 1.5 months",
      { ...LOAN, config: { loan: { type: "x", month: 1.5 } } },
      "config.loan.month must be a whole number",
    ],
    [
      "a loan's month as a string",
      { ...LOAN, config: { loan: { type: "x", month: "12" } } },
      "config.loan.month must be a number",
    ],
    [
      "a loan's type as a number",
      { ...LOAN, config: { loan: { type: 12 } } },
      "config.loan.type must be a string",
    ],
    [
      "a loan with capture manual",
      { ...LOAN, capture: "manual" },
      "capture manual can only be used when paying through Apple Pay, Google Pay or by a card; payment_method has bog_loan",
    ],
    [
      "a campaign for amex",
      { config: { campaign: { card: "amex", type: "restrict" } } },
      "config.campaign.card must be one of visa, mc, solo",
    ],
    [
      "a campaign of an unknown type",
      { config: { campaign: { card: "visa", type: "cashback" } } },
      "config.campaign.type must be one of restrict, client_discount",
    ],
    [
      "an account tag as a number",
      { config: { account: { tag: 1212 } } },
      "config.account.tag must be a string",
    ],
    [
      "an account tag over 1024 characters",
      { config: { account: { tag: "t".repeat(1025) } } },
      "config.account.tag must be at most 1024 characters (a sandbox reading",
    ],
    [
      "external Google Pay without a token",
      { payment_method: ["google_pay"], config: { google_pay: { external: true } } },
      "config.google_pay.google_pay_token is required and must be a non-empty string",
    ],
    [
      "external Google Pay with an empty token",
      GOOGLE("  "),
      "config.google_pay.google_pay_token is required and must be a non-empty string",
    ],
    [
      "external Google Pay with an oversized token",
      GOOGLE("g".repeat(16_385)),
      "config.google_pay.google_pay_token must be at most 16384 characters",
    ],
    [
      "external Google Pay with other methods",
      GOOGLE("tok", { payment_method: ["google_pay", "card"] }),
      'config.google_pay with external true requires payment_method ["google_pay"]',
    ],
    [
      "Google Pay external as a string",
      { config: { google_pay: { external: "true" } } },
      "config.google_pay.external must be true or false",
    ],
    [
      "external Apple Pay without payment_method",
      { config: { apple_pay: { external: true } } },
      'config.apple_pay with external true requires payment_method ["apple_pay"]',
    ],
    [
      "an item discount above its price",
      {
        purchase_units: {
          total_amount: 1,
          basket: [{ product_id: "a", quantity: 1, unit_price: 1, unit_discount_price: 2 }],
        },
      },
      "purchase_units.basket[0].unit_discount_price must not exceed unit_price",
    ],
  ])("refuses %s", async (_case, overrides, message) => {
    const { status, body } = await create(overrides);
    expect(status).toBe(400);
    expect(body.message).toContain(message);
    expect((await stats(sandbox())).ordersCreated).toBe(0);
  });

  it.each([
    ["bog_loan", LOAN],
    ["bnpl", { payment_method: ["bnpl"], config: { loan: { type: "bnpl-4", month: 4 } } }],
  ])("takes a loan with exactly one method, %s, and shows the plan and months", async (_m, o) => {
    const { id, body } = await created(o);
    const page = await (
      await fetch((body._links as { redirect: { href: string } }).redirect.href)
    ).text();
    const loan = (o.config as { loan: { type: string; month: number } }).loan;
    expect(page).toMatch(new RegExp(`data-testid="loan">[^<]*${loan.type}, ${loan.month} `));
    const request = (await get(sandbox(), `/_sandbox/orders/${id}/request`)).body;
    expect(request.config).toMatchObject({ loan });
  });

  it("refuses an unknown cardType on the pay control", async () => {
    const { id } = await created();
    const answer = await payControl(id, { outcome: "completed", cardType: "diners" });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe("cardType must be one of amex, mc, visa, solo");
  });
});

describe("sandbox create-order options: card campaigns", () => {
  const DISCOUNT = { config: { campaign: { card: "visa", type: "client_discount" } } };
  const RESTRICT = { config: { campaign: { card: "visa", type: "restrict" } } };

  it("client_discount: its card pays 10% less; request_amount stays, discount filled", async () => {
    const { id } = await created(DISCOUNT);
    const paid = await payControl(id, { outcome: "completed", cardType: "visa" });
    expect(paid.body.status).toBe("completed");
    const details = await receipt(id);
    expect(details.purchase_units).toMatchObject({
      request_amount: "28.0",
      transfer_amount: "25.2",
    });
    expect(details.payment_detail).toMatchObject({ card_type: "visa" });
    expect(details.discount).toEqual({
      bank_discount_amount: "2.8",
      bank_discount_desc: "Sandbox card campaign: 10% off with visa",
      system_discount_amount: "0.0",
      system_discount_desc: null,
      discounted_amount: "25.2",
      original_order_amount: "28.0",
    });
    await receiver().waitFor(1);
    expect(callbackBody().discount).toEqual(details.discount);
  });

  it("client_discount: a refund can take back at most what was charged", async () => {
    const { id, accessToken } = await created(DISCOUNT);
    await payControl(id, { outcome: "completed", cardType: "visa" });
    const refund = (amount: number) =>
      post(
        sandbox(),
        `/payments/v1/payment/refund/${id}`,
        { amount },
        {
          authorization: `Bearer ${accessToken}`,
        },
      );
    expect((await refund(28)).status).toBe(400);
    expect((await refund(25.2)).status).toBe(200);
    expect((await receipt(id)).purchase_units).toMatchObject({
      request_amount: "28.0",
      transfer_amount: "0.0",
      refund_amount: "25.2",
    });
  });

  it("client_discount: another card pays the full amount, without a discount", async () => {
    const { id } = await created(DISCOUNT);
    await payControl(id, { outcome: "completed", cardType: "mc" });
    const details = await receipt(id);
    expect(details.purchase_units).toMatchObject({
      request_amount: "28.0",
      transfer_amount: "28.0",
    });
    expect(details.discount).toBeNull();
  });

  it("client_discount: the page states the terms and defaults to the campaign's card", async () => {
    const { body } = await created(DISCOUNT);
    const html = await (
      await fetch((body._links as { redirect: { href: string } }).redirect.href)
    ).text();
    expect(html).toContain("10% ფასდაკლება visa ბარათით გადახდისას");
    expect(html).toContain('<option value="visa" selected>visa</option>');
    expect(html).toContain('<option value="mc">mc</option>');
  });

  it("restrict: other card types and non-card methods are refused; its card pays in full", async () => {
    const { id } = await created({ ...RESTRICT, payment_method: ["card", "bog_p2p"] });
    const mc = await payControl(id, { outcome: "completed", cardType: "mc" });
    expect(mc.status).toBe(400);
    expect(mc.body.message).toBe(
      "This order can only be paid with a visa card (config.campaign restrict); got a mc card",
    );
    const p2p = await payControl(id, { outcome: "completed", paymentMethod: "bog_p2p" });
    expect(p2p.body.message).toContain("got bog_p2p");
    expect((await receipt(id)).order_status).toMatchObject({ key: "created" });
    const visa = await payControl(id, { outcome: "completed", cardType: "visa" });
    expect(visa.body.status).toBe("completed");
    const details = await receipt(id);
    expect(details.purchase_units).toMatchObject({ transfer_amount: "28.0" });
    expect(details.discount).toBeNull();
  });

  it("restrict: the page offers its card type only and refuses another one posted to it", async () => {
    const { id, body } = await created({ ...RESTRICT, external_order_id: "r-1" });
    const page = (body._links as { redirect: { href: string } }).redirect.href;
    const html = await (await fetch(page)).text();
    expect(html).toContain("გადახდა მხოლოდ visa ბარათით");
    expect(html).toMatch(
      /<select id="cardType" name="cardType"><option value="visa" selected>visa<\/option><\/select>/,
    );
    const refused = await fetch(`${sandbox().url}/payment/${id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        outcome: "completed",
        method: "card",
        cardType: "mc",
      }).toString(),
      redirect: "manual",
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('data-testid="problem"');
    const paid = await fetch(`${sandbox().url}/payment/${id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        outcome: "completed",
        method: "card",
        cardType: "visa",
      }).toString(),
      redirect: "manual",
    });
    expect(paid.status).toBe(303);
    expect((await receipt(id)).order_status).toMatchObject({ key: "completed" });
  });
});

describe("sandbox create-order options: account tag, item discounts, application type", () => {
  it("echoes config.account.tag as request_account_tag, and transfer_account_tag once paid", async () => {
    const { id } = await created({ config: { account: { tag: "gev2" } } });
    expect((await receipt(id)).payment_detail).toMatchObject({
      request_account_tag: "gev2",
      transfer_account_tag: null,
    });
    await payControl(id, { outcome: "completed" });
    expect((await receipt(id)).payment_detail).toMatchObject({
      request_account_tag: "gev2",
      transfer_account_tag: "gev2",
    });
    await receiver().waitFor(1);
    expect(callbackBody().payment_detail).toMatchObject({ transfer_account_tag: "gev2" });
  });

  it("shows item discounts on the page and in the receipt's basket", async () => {
    const { id, body } = await created({
      application_type: "mobile",
      purchase_units: {
        total_amount: 22.5,
        basket: [
          {
            product_id: "sku-cup",
            description: "Espresso cup",
            quantity: 2,
            unit_price: 12.5,
            unit_discount_price: 2.5,
            product_discount_id: "BF222R5",
          },
          { product_id: "sku-spoon", description: "Spoon", quantity: 1, unit_price: 2.5 },
        ],
      },
    });
    const html = await (
      await fetch((body._links as { redirect: { href: string } }).redirect.href)
    ).text();
    expect(html).toContain('<td class="num" data-testid="item-discount">−2.50 (BF222R5)</td>');
    expect(html).toContain("22.50 GEL");
    const items = ((await receipt(id)).purchase_units as { items: Json[] }).items;
    expect(items[0]).toMatchObject({
      unit_price: "12.5",
      unit_discount_price: "2.5",
      product_discount_id: "BF222R5",
    });
    expect(items[1]).toMatchObject({ unit_discount_price: "0.0", product_discount_id: null });
    const request = (await get(sandbox(), `/_sandbox/orders/${id}/request`)).body;
    expect(request.application_type).toBe("mobile");
  });
});

describe("sandbox create-order options: Google Pay on the shop's page", () => {
  it("pays at once: status completed, no redirect, a callback with google_pay", async () => {
    const answer = await create(GOOGLE("eyJzaWduYXR1cmUiOiJ…"));
    expect(answer.status).toBe(200);
    const id = answer.body.id as string;
    expect(answer.body).toEqual({
      id,
      status: "completed",
      _links: { details: { href: `${sandbox().url}/payments/v1/receipt/${id}` } },
    });
    await receiver().waitFor(1);
    const body = callbackBody();
    expect(body.order_status).toMatchObject({ key: "completed" });
    expect(body.payment_detail).toMatchObject({ transfer_method: { key: "google_pay" } });
  });

  it("blocks the amount at once for capture manual", async () => {
    const answer = await create(GOOGLE("tok", { capture: "manual" }));
    expect(answer.body.status).toBe("blocked");
    await receiver().waitFor(1);
  });

  it("declines at once for the token sandbox-decline", async () => {
    const answer = await create(GOOGLE("sandbox-decline"));
    expect(answer.body.status).toBe("rejected");
    await receiver().waitFor(1);
    expect(callbackBody().order_status).toMatchObject({ key: "rejected" });
  });

  it("asks for 3-D Secure for the token sandbox-3ds: created, with the page to finish on", async () => {
    const answer = await create(GOOGLE("sandbox-3ds"));
    const id = answer.body.id as string;
    expect(answer.body).toEqual({
      id,
      status: "created",
      _links: {
        details: { href: `${sandbox().url}/payments/v1/receipt/${id}` },
        redirect: { href: `${sandbox().url}/?order_id=${id}` },
      },
    });
    expect(receiver().received).toHaveLength(0);
    await payControl(id, { outcome: "completed" });
    expect((await receipt(id)).payment_detail).toMatchObject({
      transfer_method: { key: "google_pay" },
    });
  });

  it("replays the same answer for the same Idempotency-Key, paying once", async () => {
    const key = randomUUID();
    const first = await create(GOOGLE("tok"), { "idempotency-key": key });
    const again = await create(GOOGLE("tok"), { "idempotency-key": key });
    expect(again.body).toEqual(first.body);
    expect((await stats(sandbox())).ordersCreated).toBe(1);
    await receiver().waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver().received).toHaveLength(1);
  });
});

describe("sandbox create-order options: Apple Pay on the shop's page", () => {
  it("answers id, result and the accept link, then the token pays it with a callback", async () => {
    const { id, body, accessToken } = await created({ ...APPLE, application_type: "web" });
    const accept = `${sandbox().url}/payments/v1/ecommerce/orders/${id}/payment`;
    expect(body).toEqual({ id, result: "created", _links: { accept: { href: accept } } });
    expect((await receipt(id)).order_status).toMatchObject({ key: "created" });
    const paid = await applePay(id, { apple_pay_token: '{"paymentData":{}}' }, accessToken);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      id,
      status: "completed",
      _links: { details: { href: `${sandbox().url}/payments/v1/receipt/${id}` } },
    });
    expect((paid.body.order_details as Json).order_id).toBe(id);
    await receiver().waitFor(1);
    expect(callbackBody().payment_detail).toMatchObject({ transfer_method: { key: "apple_pay" } });
    expect((await stats(sandbox())).applePay).toBe(1);
  });

  it("replays the payment's answer for the same Idempotency-Key; another key is refused", async () => {
    const { id, accessToken } = await created(APPLE);
    const key = randomUUID();
    const first = await applePay(id, { apple_pay_token: "t" }, accessToken, key);
    const again = await applePay(id, { apple_pay_token: "t" }, accessToken, key);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const other = await applePay(id, { apple_pay_token: "t" }, accessToken, randomUUID());
    expect(other.status).toBe(409);
    expect(other.body.message).toBe("Order is not awaiting payment (status: completed)");
    await receiver().waitFor(1);
  });

  it("declines for the token sandbox-decline", async () => {
    const { id, accessToken } = await created(APPLE);
    const paid = await applePay(id, { apple_pay_token: "sandbox-decline" }, accessToken);
    expect(paid.body.status).toBe("rejected");
    await receiver().waitFor(1);
  });

  it.each<[string, unknown, string]>([
    ["no token", {}, "apple_pay_token is required and must be a non-empty string"],
    ["an empty token", { apple_pay_token: "" }, "apple_pay_token is required"],
    ["a token as an object", { apple_pay_token: { a: 1 } }, "apple_pay_token is required"],
    [
      "an oversized token",
      { apple_pay_token: "a".repeat(16_385) },
      "apple_pay_token must be at most 16384 characters",
    ],
  ])("refuses %s", async (_case, payload, message) => {
    const { id, accessToken } = await created(APPLE);
    const answer = await applePay(id, payload, accessToken);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
    expect((await receipt(id)).order_status).toMatchObject({ key: "created" });
  });

  it("refuses a token for an order not made for Apple Pay on the shop's page, and an unknown order", async () => {
    const { id, accessToken } = await created();
    const answer = await applePay(id, { apple_pay_token: "t" }, accessToken);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      "Order was not created for Apple Pay on the shop's page (config.apple_pay.external)",
    );
    const unknown = await applePay(randomUUID(), { apple_pay_token: "t" }, accessToken);
    expect(unknown.body.message).toBe("Invalid order_id");
  });

  it("needs a Bearer token like every bank call", async () => {
    const { id } = await created(APPLE);
    const answer = await post(sandbox(), `/payments/v1/ecommerce/orders/${id}/payment`, {
      apple_pay_token: "t",
    });
    expect(answer.status).toBe(401);
  });
});
