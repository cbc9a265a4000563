import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * docs/create-order-options.md, Google Pay and Apple Pay on the shop's own page: the wallet's token
 * travels through POST /orders (Google Pay) or POST /orders/{id}/wallet-payment
 * (Apple Pay's second step) to the sandbox, whose answer may already be final or may
 * ask for 3-D Secure. The token is never stored or logged; bad input is a 400 with
 * nothing sent to the bank.
 */

const fx = useFunctions({ logger: () => new Logger({ serviceName: "test", logLevel: "DEBUG" }) });
const output = captureOutput({ echo: false });

/** A token shaped like Google Pay's (ECv2), unique per test so that it can be searched for. */
const googleToken = () =>
  JSON.stringify({
    signature: `MEUCIQ${randomUUID()}`,
    protocolVersion: "ECv2",
    signedMessage: `{"encryptedMessage":"${randomUUID()}","tag":"x"}`,
  });
const appleToken = () =>
  JSON.stringify({ paymentData: { data: `apple-${randomUUID()}` }, transactionIdentifier: "t" });

const ITEMS = [{ productId: "sku-cup", quantity: 2 }];

const sentRequest = async (bankOrderId: string) =>
  (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/request`)).body as {
    payment_method: string[] | null;
    application_type?: string;
    config: Record<string, unknown>;
  };

/** The stored item, raw, to look for what must not be there. */
async function rawItem(orderId: string): Promise<string> {
  const item = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `order#${orderId}` } }));
  return JSON.stringify(item.Item);
}

async function warmToken() {
  await fx.postOrder({ items: ITEMS });
}

describe("Google Pay on the shop's page (POST /orders with wallet)", () => {
  it("pays at once: 201 completed, no page; the bank got the token whole; stored and GET agree", async () => {
    await warmToken();
    // No callback comes: the answer and the store agree by our own lookup alone.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    const before = await stats(fx.sandbox());
    const token = googleToken();
    const answer = await fx.postOrder(
      { items: ITEMS, wallet: { type: "google_pay", token } },
      { "idempotency-key": randomUUID() },
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ status: "completed", amount: "25.00", currency: "GEL" });
    expect(answer.body).not.toHaveProperty("redirectUrl");
    const orderId = answer.body.orderId as string;

    const sent = await sentRequest(await bankOrderIdOf(fx, orderId));
    expect(sent.payment_method).toEqual(["google_pay"]);
    expect(sent.config.google_pay).toEqual({ external: true, google_pay_token: token });

    // One create-order, one details lookup so that the store agrees with the answer.
    const after = await stats(fx.sandbox());
    expect(after.createOrder - before.createOrder).toBe(1);
    expect(after.receipt - before.receipt).toBe(1);
    const stored = await fx.handlers().orders.get(orderId);
    expect(stored).toMatchObject({
      status: "completed",
      walletType: "google_pay",
      paymentMethod: "google_pay",
      chargedAmount: 2500,
    });
    expect((await fx.getOrder(orderId)).body.status).toBe("completed");

    // Never kept, never logged.
    expect(await rawItem(orderId)).not.toContain("ECv2");
    const logged = output.text();
    expect(logged).toContain(orderId); // the capture works
    expect(logged).not.toContain(JSON.parse(token).signature);
  });

  it("3-D Secure: 201 created with the bank's page; nothing else asked", async () => {
    await warmToken();
    const before = await stats(fx.sandbox());
    const answer = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: "sandbox-3ds" },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe("created");
    expect(answer.body.redirectUrl).toMatch(/order_id=/);
    expect((await stats(fx.sandbox())).receipt).toBe(before.receipt);
    const stored = await fx.handlers().orders.get(answer.body.orderId as string);
    expect(stored).toMatchObject({ status: "created", redirectUrl: answer.body.redirectUrl });
  });

  it("declined: 201 rejected, stored rejected", async () => {
    const answer = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: "sandbox-decline" },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe("rejected");
    expect((await fx.getOrder(answer.body.orderId as string)).body.status).toBe("rejected");
  });

  it("the same key and token replays the order; the bank is not asked again", async () => {
    const key = randomUUID();
    const body = { items: ITEMS, wallet: { type: "google_pay", token: googleToken() } };
    const first = await fx.postOrder(body, { "idempotency-key": key });
    const before = await stats(fx.sandbox());
    const again = await fx.postOrder(body, { "idempotency-key": key });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ orderId: first.body.orderId, status: "completed" });
    const after = await stats(fx.sandbox());
    expect(after.createOrder).toBe(before.createOrder);
    // Another token under the same key is another request.
    const other = await fx.postOrder(
      { ...body, wallet: { type: "google_pay", token: googleToken() } },
      { "idempotency-key": key },
    );
    expect(other.status).toBe(409);
  });

  it("the bank down: an error, and a retry with the same key pays the same order once", async () => {
    await warmToken();
    const key = randomUUID();
    const body = { items: ITEMS, wallet: { type: "google_pay", token: googleToken() } };
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 3 });
    const failed = await fx.postOrder(body, { "idempotency-key": key });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const before = await stats(fx.sandbox());
    const retried = await fx.postOrder(body, { "idempotency-key": key });
    expect(retried.status).toBe(201);
    expect(retried.body.status).toBe("completed");
    expect((await stats(fx.sandbox())).ordersCreated - before.ordersCreated).toBeLessThanOrEqual(1);
  });
});

describe("Apple Pay on the shop's page (two steps)", () => {
  async function createApple() {
    const answer = await fx.postOrder({ items: ITEMS, wallet: { type: "apple_pay" } });
    expect(answer.status).toBe(201);
    return answer;
  }

  it("step one: 201 created without a page; the bank got apple_pay external, web", async () => {
    const answer = await createApple();
    expect(answer.body.status).toBe("created");
    expect(answer.body).not.toHaveProperty("redirectUrl");
    const sent = await sentRequest(await bankOrderIdOf(fx, answer.body.orderId as string));
    expect(sent.payment_method).toEqual(["apple_pay"]);
    expect(sent.config.apple_pay).toEqual({ external: true });
    expect(sent.application_type).toBe("web");
  });

  it("step two pays with the token: 200 completed, from the answer's details (no lookup); a repeat asks nobody", async () => {
    const orderId = (await createApple()).body.orderId as string;
    const before = await stats(fx.sandbox());
    const token = appleToken();
    const paid = await fx.walletPayment(orderId, { token });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ orderId, status: "completed", paymentMethod: "apple_pay" });
    let after = await stats(fx.sandbox());
    expect(after.applePay - before.applePay).toBe(1);
    expect(after.receipt - before.receipt).toBe(0);
    expect(await fx.handlers().orders.get(orderId)).toMatchObject({
      status: "completed",
      chargedAmount: 2500,
    });

    const again = await fx.walletPayment(orderId, { token });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("completed");
    after = await stats(fx.sandbox());
    expect(after.applePay - before.applePay).toBe(1);
    expect(await rawItem(orderId)).not.toContain("apple-");
    const logged = output.text();
    expect(logged).toContain("Apple Pay token sent to the bank"); // the capture works
    expect(logged).not.toContain(JSON.parse(token).paymentData.data);
  });

  it("a declined token: 200 rejected", async () => {
    const orderId = (await createApple()).body.orderId as string;
    const paid = await fx.walletPayment(orderId, { token: "sandbox-decline" });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("rejected");
  });

  it("50 concurrent sends of one token: the bank gets it once", async () => {
    const orderId = (await createApple()).body.orderId as string;
    const before = await stats(fx.sandbox());
    const token = appleToken();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => fx.walletPayment(orderId, { token })),
    );
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    expect(answers.some((a) => a.status === 200 && a.body.status === "completed")).toBe(true);
    expect((await stats(fx.sandbox())).applePay - before.applePay).toBe(1);
  });

  it("the bank down: 5xx, and the customer may try again at once", async () => {
    const orderId = (await createApple()).body.orderId as string;
    await post(fx.sandbox(), "/_sandbox/faults", { target: "applePay", status: 503, count: 3 });
    const failed = await fx.walletPayment(orderId, { token: appleToken() });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const paid = await fx.walletPayment(orderId, { token: appleToken() });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("completed");
  });

  it("not an Apple Pay order: 409 invalid_state, nothing sent; unknown order: 404", async () => {
    const page = await fx.postOrder({ items: ITEMS });
    const before = (await stats(fx.sandbox())).applePay;
    const answer = await fx.walletPayment(page.body.orderId as string, { token: "t" });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: { code: "invalid_state" } });
    expect((await fx.walletPayment(randomUUID(), { token: "t" })).status).toBe(404);
    expect((await fx.walletPayment("not-a-uuid", { token: "t" })).status).toBe(404);
    expect((await stats(fx.sandbox())).applePay).toBe(before);
  });

  it.each([
    ["no token", {}],
    ["an empty token", { token: "   " }],
    ["a number", { token: 5 }],
    ["an oversized token", { token: "x".repeat(16_385) }],
    ["an unknown field", { token: "t", amount: "1.00" }],
    ["not JSON", "{token"],
  ])("step two with %s: 400, nothing sent", async (_case, body) => {
    const orderId = (await createApple()).body.orderId as string;
    const before = (await stats(fx.sandbox())).applePay;
    const answer = await fx.walletPayment(orderId, body);
    expect(answer.status).toBe(400);
    expect((await stats(fx.sandbox())).applePay).toBe(before);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("created");
  });
});

describe("bad wallet requests: 400 with the path, nothing sent to the bank", () => {
  it.each([
    ["google_pay without a token", { type: "google_pay" }, {}, "wallet.token"],
    ["an empty token", { type: "google_pay", token: "  " }, {}, "wallet.token"],
    ["an oversized token", { type: "google_pay", token: "x".repeat(16_385) }, {}, "wallet.token"],
    ["a token that is not a string", { type: "google_pay", token: 1 }, {}, "wallet.token"],
    ["apple_pay with a token", { type: "apple_pay", token: "t" }, {}, "wallet.token"],
    ["an unknown wallet", { type: "samsung_pay", token: "t" }, {}, "wallet.type"],
    ["an unknown field", { type: "google_pay", token: "t", pan: "4111" }, {}, "wallet"],
    [
      "a token on another method",
      { type: "google_pay", token: "t" },
      { paymentMethods: ["card"] },
      "paymentMethods",
    ],
    [
      "the wallet and a card",
      { type: "google_pay", token: "t" },
      { paymentMethods: ["google_pay", "card"] },
      "paymentMethods",
    ],
    [
      "the other wallet's method",
      { type: "apple_pay" },
      { paymentMethods: ["google_pay"] },
      "paymentMethods",
    ],
    [
      "installments with a wallet",
      { type: "google_pay", token: "t" },
      { loan: { code: "zero-12", months: 12 } },
      "paymentMethods",
    ],
  ])("%s", async (_case, wallet, extra, path) => {
    const before = await stats(fx.sandbox());
    const answer = await fx.postOrder({ items: ITEMS, wallet, ...extra });
    expect(answer.status).toBe(400);
    const details = (answer.body.error as { details?: Array<{ path: string }> }).details ?? [];
    expect(details.map((d) => d.path).join(" ")).toContain(path);
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
  });

  it("a wallet with its own method given explicitly is fine", async () => {
    const answer = await fx.postOrder({
      items: ITEMS,
      paymentMethods: ["google_pay"],
      wallet: { type: "google_pay", token: googleToken() },
    });
    expect(answer.status).toBe(201);
  });
});
