import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BogClient } from "../../../lib/bog/client.js";
import type { Order } from "../../../lib/orders/model/order.js";
import { OrderStore } from "../../../lib/orders/storage/order-store.js";
import { WalletPaymentStore } from "../../../lib/orders/storage/wallet-store.js";
import { applePayKey } from "../../../lib/orders/wallets/wallet-payment.js";
import { apiGatewayEventOf, lambdaContext } from "../../../local/lambda-events.js";
import { post, stats } from "../../support/bank-calls.js";
import { useFunctions } from "../../support/functions.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * Wallet edge cases from an adversarial review of wallet payments on the shop's page, docs/create-order-options.md).
 * Plain `it`: regressions that kill mutants the main wallet suite let through.
 * The last three were known problems the audit found (written as the behaviour we
 * want, first as `it.fails`), fixed since.
 */

const fx = useFunctions({ logger: () => new Logger({ serviceName: "test", logLevel: "DEBUG" }) });
const output = captureOutput({ echo: false });
// (The sandbox forgets its faults before each test; it has no DELETE for them.)
afterEach(() => {
  vi.restoreAllMocks();
});

const ITEMS = [{ productId: "sku-cup", quantity: 2 }];
const appleToken = () => JSON.stringify({ paymentData: { data: `apple-${randomUUID()}` } });
const googleToken = () =>
  JSON.stringify({ signature: `SIG${randomUUID()}`, protocolVersion: "ECv2" });
const noCallbacks = () =>
  post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 1000 });

async function createApple(): Promise<string> {
  const answer = await fx.postOrder({ items: ITEMS, wallet: { type: "apple_pay" } });
  expect(answer.status).toBe(201);
  return answer.body.orderId as string;
}

async function setItem(orderId: string, expression: string, values?: Record<string, unknown>) {
  await fx.handlers().doc.send(
    new UpdateCommand({
      TableName: fx.tables().orders,
      Key: { pk: `order#${orderId}` },
      UpdateExpression: expression,
      ...(values && { ExpressionAttributeValues: values }),
    }),
  );
}

/** wallet-payment with a chosen Lambda time budget. */
async function walletPayment(orderId: string, body: unknown, timeoutMs = 10_000) {
  const event = apiGatewayEventOf(
    {
      method: "POST",
      url: `/orders/${orderId}/wallet-payment`,
      headers: { "content-type": "application/json" },
      body: Buffer.from(JSON.stringify(body)),
      userAgent: "test",
    },
    "POST /orders/{orderId}/wallet-payment",
    { orderId },
  );
  const result = await fx.handlers().createOrder(event, lambdaContext("create-order", timeoutMs));
  return {
    status: result.statusCode,
    body: JSON.parse(result.body ?? "{}") as Record<string, unknown>,
  };
}

describe("Apple Pay's bank key", () => {
  it("one key per (order, token): a new token is a new request, a retry the same; UUID v4", () => {
    const order = randomUUID();
    const a = applePayKey(order, "token-a");
    expect(a).toBe(applePayKey(order, "token-a"));
    expect(a).not.toBe(applePayKey(order, "token-b"));
    expect(a).not.toBe(applePayKey(randomUUID(), "token-a"));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("Apple Pay's second step: states and races", () => {
  it("a paid order past its expiry: 200 with its state, not 409, nothing sent", async () => {
    const orderId = await createApple();
    expect((await fx.walletPayment(orderId, { token: appleToken() })).body.status).toBe(
      "completed",
    );
    await setItem(orderId, "SET expiresAt = :e", { ":e": "2020-01-01T00:00:00Z" });
    const before = await stats(fx.sandbox());
    const again = await fx.walletPayment(orderId, { token: appleToken() });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("completed");
    expect((await stats(fx.sandbox())).applePay).toBe(before.applePay);
  });

  it("an expired, unpaid Apple Pay order: 409 invalid_state, nothing sent", async () => {
    const orderId = await createApple();
    await setItem(orderId, "SET expiresAt = :e", { ":e": "2020-01-01T00:00:00Z" });
    const before = await stats(fx.sandbox());
    const answer = await fx.walletPayment(orderId, { token: appleToken() });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: { code: "invalid_state" } });
    expect((await stats(fx.sandbox())).applePay).toBe(before.applePay);
  });

  it("paid while we looked (stale read): the claim refuses, the answer is the order's state, nothing sent", async () => {
    const orderId = await createApple();
    const created = (await fx.handlers().orders.get(orderId)) as Order;
    expect((await fx.walletPayment(orderId, { token: appleToken() })).body.status).toBe(
      "completed",
    );
    // The first request's lease has run out (it is held until that request's deadline).
    await setItem(orderId, "REMOVE walletPayUntil");
    // The next read sees the order as it was before the payment (a callback landed between read and claim).
    vi.spyOn(OrderStore.prototype, "get").mockResolvedValueOnce(created);
    const before = await stats(fx.sandbox());
    const again = await fx.walletPayment(orderId, { token: appleToken() });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("completed");
    expect((await stats(fx.sandbox())).applePay).toBe(before.applePay);
  });

  it("the store's claim: not without a bank order, not once past created, not for other orders", async () => {
    const store = new WalletPaymentStore(fx.handlers().doc, fx.tables().orders);
    const far = Date.now() + 60_000;
    const noBank = await createApple();
    await setItem(noBank, "REMOVE bankOrderId");
    expect((await store.claim(noBank, Date.now(), far)).claimed).toBe(false);
    const paid = await createApple();
    await fx.walletPayment(paid, { token: appleToken() });
    await setItem(paid, "REMOVE walletPayUntil");
    expect((await store.claim(paid, Date.now(), far)).claimed).toBe(false);
    const page = (await fx.postOrder({ items: ITEMS })).body.orderId as string;
    expect((await store.claim(page, Date.now(), far)).claimed).toBe(false);
    const fresh = await createApple();
    expect((await store.claim(fresh, Date.now(), far)).claimed).toBe(true);
    expect((await store.claim(fresh, Date.now(), far)).claimed).toBe(false);
  });

  it("50 concurrent sends with DIFFERENT tokens: the bank is asked once", async () => {
    const orderId = await createApple();
    const before = await stats(fx.sandbox());
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => fx.walletPayment(orderId, { token: appleToken() })),
    );
    for (const a of answers) expect([200, 409]).toContain(a.status);
    expect((await stats(fx.sandbox())).applePay - before.applePay).toBe(1);
    expect((await fx.getOrder(orderId)).body.status).toBe("completed");
  });

  it("a declined token ends the order: another token is not sent", async () => {
    const orderId = await createApple();
    expect((await fx.walletPayment(orderId, { token: "sandbox-decline" })).body.status).toBe(
      "rejected",
    );
    const before = await stats(fx.sandbox());
    const again = await fx.walletPayment(orderId, { token: appleToken() });
    expect(again).toMatchObject({ status: 200, body: { status: "rejected" } });
    expect((await stats(fx.sandbox())).applePay).toBe(before.applePay);
  });

  it("merchant orders (even apple_pay) and Google Pay 3-D Secure orders: 409 invalid_state, nothing sent", async () => {
    const merchant = await fx.merchant("POST /merchant/orders", {
      path: "/merchant/orders",
      body: {
        currency: "GEL",
        paymentMethods: ["apple_pay"],
        items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "10.00" }],
      },
      headers: { "idempotency-key": randomUUID() },
    });
    expect(merchant.status).toBe(201);
    const g = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: "sandbox-3ds" },
    });
    const before = await stats(fx.sandbox());
    for (const id of [merchant.body.orderId as string, g.body.orderId as string]) {
      const a = await fx.walletPayment(id, { token: appleToken() });
      expect(a.status).toBe(409);
      expect(a.body).toMatchObject({ error: { code: "invalid_state" } });
    }
    expect((await stats(fx.sandbox())).applePay).toBe(before.applePay);
  });

  it("a body far over the limit: 413", async () => {
    const orderId = await createApple();
    expect((await fx.walletPayment(orderId, { token: "x".repeat(200_000) })).status).toBe(413);
  });

  it("after a timeout (the bank paid, answered late) the next tap asks the bank first: 200 completed, no second token sent", async () => {
    const orderId = await createApple();
    await noCallbacks();
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "applePay",
      delayMs: 5000,
      count: 10,
    });
    const before = await stats(fx.sandbox());
    const first = await walletPayment(orderId, { token: appleToken() }, 4000);
    expect(first.status).toBe(503);
    await noCallbacks();
    // The customer taps Apple Pay again: a new single-use token, so a new bank key.
    const second = await walletPayment(orderId, { token: appleToken() });
    // Wanted: the order's real state (completed), and no second payment request.
    expect(second).toMatchObject({ status: 200, body: { status: "completed" } });
    expect((await stats(fx.sandbox())).applePay - before.applePay).toBe(1);
  }, 60_000);
});

describe("Apple Pay's bank key at the call", () => {
  it("each token goes with its own key, applePayKey(orderId, token)", async () => {
    const orderId = await createApple();
    const keys: string[] = [];
    const real = BogClient.prototype.completeApplePay;
    vi.spyOn(BogClient.prototype, "completeApplePay").mockImplementation(async function (
      this: BogClient,
      bankOrderId,
      token,
      options,
    ) {
      keys.push(options.idempotencyKey);
      return real.call(this, bankOrderId, token, options);
    });
    await post(fx.sandbox(), "/_sandbox/faults", { target: "applePay", status: 503, count: 3 });
    const [first, second] = [appleToken(), appleToken()];
    expect((await fx.walletPayment(orderId, { token: first })).status).toBe(503);
    expect((await fx.walletPayment(orderId, { token: second })).body.status).toBe("completed");
    expect(keys).toEqual([applePayKey(orderId, first), applePayKey(orderId, second)]);
  });
});

describe("create-order's lease for a wallet order", () => {
  it("a wallet order with its bank order on file (no page) cannot be claimed for another bank call", async () => {
    await noCallbacks();
    const paid = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: googleToken() },
    });
    const orderId = paid.body.orderId as string;
    await setItem(orderId, "REMOVE bankCallUntil");
    const claim = await fx
      .handlers()
      .orders.leases.claimPlacement(orderId, Date.now(), Date.now() + 60_000);
    expect(claim.claimed).toBe(false);
  });
});

describe("Google Pay (POST /orders with wallet)", () => {
  it("the same Idempotency-Key, switching wallet type or dropping the wallet: 409, nothing sent", async () => {
    const key = randomUUID();
    const first = await fx.postOrder(
      { items: ITEMS, wallet: { type: "apple_pay" } },
      { "idempotency-key": key },
    );
    expect(first.status).toBe(201);
    const before = await stats(fx.sandbox());
    const g = await fx.postOrder(
      { items: ITEMS, wallet: { type: "google_pay", token: googleToken() } },
      { "idempotency-key": key },
    );
    expect(g.status).toBe(409);
    expect((await fx.postOrder({ items: ITEMS }, { "idempotency-key": key })).status).toBe(409);
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
  });

  it("the bank pays but answers late, its callback lands first: a same-key retry replays, no second create-order, no token in the logs", async () => {
    await fx.postOrder({ items: ITEMS });
    const key = randomUUID();
    const token = googleToken();
    const body = { items: ITEMS, wallet: { type: "google_pay", token } };
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "createOrder",
      delayMs: 12_000,
      count: 10,
    });
    const first = await fx.postOrder(body, { "idempotency-key": key });
    expect(first.status).toBeGreaterThanOrEqual(500);
    const orderId = first.body.orderId as string | undefined;
    for (let i = 0; i < 50 && !output.text().includes("callback stored"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = await stats(fx.sandbox());
    const retried = await fx.postOrder(body, { "idempotency-key": key });
    expect(retried.status).toBe(201);
    expect(retried.body.status).toBe("completed");
    if (orderId) expect(retried.body.orderId).toBe(orderId);
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
    expect(output.text()).not.toContain(JSON.parse(token).signature);
  }, 60_000);

  it("the bank answers `processing`, its details `completed`: the answer is the later one", async () => {
    await noCallbacks();
    const real = BogClient.prototype.createOrder;
    vi.spyOn(BogClient.prototype, "createOrder").mockImplementation(async function (
      this: BogClient,
      order,
      options,
    ) {
      const created = await real.call(this, order, options);
      return { ...created, status: "processing" };
    });
    const answer = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: googleToken() },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.status).toBe("completed");
    expect((await fx.getOrder(answer.body.orderId as string)).body.status).toBe("completed");
  });

  it("a bank 400 on create-order: 502, and no token in logs or the item", async () => {
    const token = googleToken();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 400, count: 1 });
    const a = await fx.postOrder({ items: ITEMS, wallet: { type: "google_pay", token } });
    expect(a.status).toBeGreaterThanOrEqual(500);
    expect(output.text()).not.toContain(JSON.parse(token).signature);
  });

  it("the bank answers `completed` but its details say `processing`: POST answers what GET will, processing", async () => {
    await noCallbacks();
    const real = BogClient.prototype.getPaymentDetails;
    vi.spyOn(BogClient.prototype, "getPaymentDetails").mockImplementation(async function (
      this: BogClient,
      id,
      options,
    ) {
      const d = await real.call(this, id, options);
      return { ...d, status: "processing", knownStatus: "processing" };
    });
    const answer = await fx.postOrder({
      items: ITEMS,
      wallet: { type: "google_pay", token: googleToken() },
    });
    vi.restoreAllMocks();
    const view = await fx.getOrder(answer.body.orderId as string);
    expect(answer.body.status).toBe(view.body.status);
  });

  it("concurrent same-key requests (a double tap): every answer is the bank's, none `created` without a page", async () => {
    await fx.postOrder({ items: ITEMS });
    await noCallbacks();
    const key = randomUUID();
    const body = { items: ITEMS, wallet: { type: "google_pay", token: googleToken() } };
    const before = await stats(fx.sandbox());
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fx.postOrder(body, { "idempotency-key": key })),
    );
    expect((await stats(fx.sandbox())).createOrder - before.createOrder).toBe(1);
    for (const a of answers) expect(a.body.status).toBe("completed");
  }, 60_000);
});
