import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BogClient } from "../../../lib/bog/client.js";
import { applePayKey } from "../../../lib/orders/wallets/wallet-payment.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, strandedOrder, useFunctions } from "../../support/functions.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * Wallet payments on the shop's page (docs/create-order-options.md), the rules the main wallet suites
 * leave unsaid: each refusal's words, the Retry-After of a send in progress, what a
 * failed send and a failed lookup leave, the answer when the details cannot be read
 * or another request is reading them, a replay after the customer paid 3-D Secure,
 * and the log line of a sent token.
 */

const fx = useFunctions({ logger: () => new Logger({ serviceName: "test", logLevel: "DEBUG" }) });
const output = captureOutput({ echo: false });
// (The sandbox forgets its faults before each test.)
afterEach(() => {
  vi.restoreAllMocks();
  fx.counters.createOrder.intercept = undefined;
});

const ITEMS = [{ productId: "sku-cup", quantity: 2 }];
const appleToken = () => JSON.stringify({ paymentData: { data: `apple-${randomUUID()}` } });
const googleToken = () =>
  JSON.stringify({ signature: `SIG${randomUUID()}`, protocolVersion: "ECv2" });
const noCallbacks = () =>
  post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 1000 });
const fault = (target: string, init: Record<string, number>) =>
  post(fx.sandbox(), "/_sandbox/faults", { target, ...init });
const lines = (message: string) => output.logLines().filter((l) => l.message === message);

async function createApple(): Promise<string> {
  const answer = await fx.postOrder({ items: ITEMS, wallet: { type: "apple_pay" } });
  expect(answer.status).toBe(201);
  return answer.body.orderId as string;
}

const refusal = (code: string, message: string) => ({ error: { code, message } });

describe("Apple Pay's bank key", () => {
  it("its variant digit carries two bits of the hash: keys of different tokens differ there too", () => {
    const orderId = "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab";
    const variants = new Set(
      Array.from({ length: 32 }, (_, i) => applePayKey(orderId, `token-${i}`).charAt(19)),
    );
    expect([...variants].every((v) => "89ab".includes(v))).toBe(true);
    expect(variants.size).toBeGreaterThan(1);
  });
});

describe("Apple Pay's second step: refusals in words", () => {
  it("not an Apple Pay order", async () => {
    const page = await fx.postOrder({ items: ITEMS });
    const answer = await fx.walletPayment(page.body.orderId as string, { token: "t" });
    expect(answer).toMatchObject({
      status: 409,
      body: refusal("invalid_state", "this order is not paid with Apple Pay on the shop's page"),
    });
  });

  it("an Apple Pay order the bank has not created (its create-order failed): 409 naming the retry, nothing sent", async () => {
    const orderId = await strandedOrder(fx, { items: ITEMS, wallet: { type: "apple_pay" } });
    const before = (await stats(fx.sandbox())).applePay;
    const answer = await fx.walletPayment(orderId, { token: appleToken() });
    expect(answer).toMatchObject({
      status: 409,
      body: refusal(
        "invalid_state",
        "the bank has not created this order yet; retry POST /orders with the same Idempotency-Key",
      ),
    });
    expect((await stats(fx.sandbox())).applePay).toBe(before);
  });

  it("an expired order", async () => {
    const orderId = await createApple();
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: { pk: `order#${orderId}` },
        UpdateExpression: "SET expiresAt = :past",
        ExpressionAttributeValues: { ":past": new Date(Date.now() - 1000).toISOString() },
      }),
    );
    expect(await fx.walletPayment(orderId, { token: appleToken() })).toMatchObject({
      status: 409,
      body: refusal("invalid_state", "this order has expired"),
    });
  });

  it("a send in progress: 409 idempotency_conflict, Retry-After the time the first may still take", async () => {
    const orderId = await createApple();
    // The bank takes the first token at once and answers late; no callback tells us.
    await noCallbacks();
    await fault("applePay", { delayMs: 2000, count: 1 });
    const first = fx.walletPayment(orderId, { token: appleToken() });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await fx.walletPayment(orderId, { token: appleToken() });
    expect(second).toMatchObject({
      status: 409,
      body: refusal(
        "idempotency_conflict",
        "this order's Apple Pay payment is in progress; retry after Retry-After",
      ),
    });
    // The first request holds the order for its Lambda time (10 s here), 0.3 s of it gone.
    const retryAfter = Number(second.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(5);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect((await first).status).toBe(200);
  });
});

describe("Apple Pay's second step: faults", () => {
  it("the send fails and so does the lookup of the details: 5xx, and the order is free for the next tap", async () => {
    const orderId = await createApple();
    // Three attempts each: the send's and the lookup's, all refused.
    await fault("applePay", { status: 503, count: 3 });
    await fault("receipt", { status: 503, count: 3 });
    const failed = await fx.walletPayment(orderId, { token: appleToken() });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const paid = await fx.walletPayment(orderId, { token: appleToken() });
    expect(paid).toMatchObject({ status: 200, body: { status: "completed" } });
  });

  it("an error of ours (not the bank's) while sending: 500, and the bank's details are not read", async () => {
    const orderId = await createApple();
    vi.spyOn(BogClient.prototype, "completeApplePay").mockRejectedValueOnce(
      new TypeError("a bug of ours"),
    );
    const before = (await stats(fx.sandbox())).receipt;
    const answer = await fx.walletPayment(orderId, { token: appleToken() });
    expect(answer.status).toBe(500);
    expect((await stats(fx.sandbox())).receipt).toBe(before);
  });

  it("a sent token is logged with the order, the bank's order and the bank's status, never the token", async () => {
    const orderId = await createApple();
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    const token = appleToken();
    output.clear();
    expect((await fx.walletPayment(orderId, { token })).status).toBe(200);
    expect(lines("Apple Pay token sent to the bank")).toEqual([
      expect.objectContaining({ orderId, bankOrderId, status: "completed" }),
    ]);
    expect(output.text()).not.toContain(JSON.parse(token).paymentData.data);
  });
});

describe("Google Pay's answer", () => {
  it("the details cannot be read: the bank's answer (completed) stands, with a WARN; stored as it was until the callback", async () => {
    await noCallbacks();
    await fx.postOrder({ items: ITEMS });
    await fault("receipt", { status: 503, count: 10 });
    output.clear();
    const answer = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: googleToken() },
    });
    expect(answer).toMatchObject({ status: 201, body: { status: "completed" } });
    expect(
      lines("could not read the wallet payment's details; answering the bank's status"),
    ).toEqual([expect.objectContaining({ level: "WARN", reason: expect.any(String) })]);
    const stored = await fx.handlers().orders.get(answer.body.orderId as string);
    expect(stored?.status).toBe("created");
  });

  it("another request is reading the details (its lease): the bank's answer, and no second lookup", async () => {
    await noCallbacks();
    await fx.postOrder({ items: ITEMS });
    // As if a poll took the lookup lease between the bank's answer and ours.
    fx.counters.createOrder.intercept = (command, input) => {
      if (command === "UpdateItemCommand" && input.UpdateExpression === "SET refreshUntil = :until")
        input.ConditionExpression = "attribute_exists(pk) AND :now < :stale"; // never true
    };
    const before = (await stats(fx.sandbox())).receipt;
    const answer = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: googleToken() },
    });
    expect(answer).toMatchObject({ status: 201, body: { status: "completed" } });
    expect((await stats(fx.sandbox())).receipt).toBe(before);
  });

  it("paid after 3-D Secure: a replay of the request answers completed, not the first answer's created", async () => {
    const key = randomUUID();
    const body = { items: ITEMS, wallet: { type: "google_pay", token: "sandbox-3ds" } };
    const first = await fx.postOrder(body, { "idempotency-key": key });
    expect(first.body.status).toBe("created");
    const bankOrderId = await bankOrderIdOf(fx, first.body.orderId as string);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect((await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).status).toBe(200);
    const again = await fx.postOrder(body, { "idempotency-key": key });
    expect(again).toMatchObject({
      status: 201,
      body: { orderId: first.body.orderId, status: "completed" },
    });
  });
});

describe("a wallet in POST /orders: refusals in words", () => {
  it.each([
    [
      "another method beside the wallet's",
      { type: "google_pay", token: "t" },
      ["google_pay", "card"],
      "a google_pay wallet payment is paid with google_pay only",
      { path: "paymentMethods", message: 'must be ["google_pay"] or left out with wallet' },
    ],
    [
      "Google Pay without its token",
      { type: "google_pay" },
      undefined,
      "a Google Pay payment needs the token the Google Pay button gave",
      { path: "wallet.token", message: "is required for google_pay" },
    ],
    [
      "Apple Pay with a token",
      { type: "apple_pay", token: "t" },
      undefined,
      "the Apple Pay token goes to POST /orders/{orderId}/wallet-payment, after the order is created",
      { path: "wallet.token", message: "is not taken for apple_pay here" },
    ],
  ])("%s", async (_, wallet, paymentMethods, message, detail) => {
    const answer = await fx.postOrder({ items: ITEMS, wallet, paymentMethods });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: { code: "invalid_request", message, details: [detail] },
    });
  });
});
