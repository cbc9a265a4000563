import { randomUUID, sign } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { createBankClient } from "../../../lib/bog/create-bank-client.js";
import { dynamoMerchantIdStore, MerchantIdentity } from "../../../lib/bog/merchant-id.js";
import { readBankConfig } from "../../../lib/config.js";
import { CALLBACK_ANOMALY } from "../../../lib/metrics.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";

/**
 * docs/api.md: a valid signature proves the bank sent a callback, not that it is
 * about our order. Every callback here is signed with the sandbox's key, as the bank
 * signs every merchant's, and delivered over HTTP or handed to the handler.
 */

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });
const BASKET = { items: [{ productId: "sku-cup", quantity: 2 }] }; // 25.00 GEL

const order = async (orderId: string) => {
  const found = await fx.handlers().orders.get(orderId);
  if (!found) throw new Error(`no order ${orderId}`);
  return found;
};

/** Another business at the same bank, with its own credentials. */
function otherMerchantBank() {
  const sb = fx.sandbox();
  const config = readBankConfig({
    BOG_BASE_URL: sb.url,
    BOG_CLIENT_ID: "other-client",
    BOG_CLIENT_SECRET: "other-secret",
  });
  return createBankClient(config, fx.handlers().doc, fx.tables().bankToken).client;
}

/** An order whose create-order call the bank refused: stored `pending`, no bank order. */
async function pendingOrder(key = randomUUID()) {
  await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 400, count: 1 });
  const refused = await fx.postOrder(BASKET, { "idempotency-key": key });
  expect(refused.status).toBe(502);
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `idem#${key}` } }));
  const orderId = Item?.orderId as string;
  expect((await order(orderId)).status).toBe("pending");
  return { orderId, key };
}

/** A bank order made with `bank`'s credentials that names `externalOrderId`, paid. */
async function paidBankOrder(
  bank: ReturnType<typeof otherMerchantBank>,
  externalOrderId: string,
  total: number,
  idempotencyKey: string = randomUUID(),
) {
  const created = await bank.createOrder(
    {
      callbackUrl: fx.bridgeUrl(),
      externalOrderId,
      currency: "GEL",
      total,
      basket: [
        { productId: "sku-cup", description: "Espresso cup", quantity: 1, unitPrice: total },
      ],
    },
    { idempotencyKey, deadline: Date.now() + 10_000 },
  );
  const paid = await post(fx.sandbox(), `/_sandbox/orders/${created.bankOrderId}/pay`, {
    outcome: "completed",
  });
  expect(paid.body.callback).toMatchObject({ delivered: true, httpStatus: 200 });
  return created;
}

async function createdOrder() {
  const { body, status } = await fx.postOrder(BASKET);
  expect(status, JSON.stringify(body)).toBe(201);
  const orderId = body.orderId as string;
  return { orderId, bankOrderId: await bankOrderIdOf(fx, orderId) };
}

/** The sandbox's current payment details for a bank order, changed, signed like the bank signs. */
async function signedDetails(bankOrderId: string, change: (body: Record<string, unknown>) => void) {
  const body = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
  change(body);
  const raw = Buffer.from(
    JSON.stringify({ event: "order_payment", zoned_request_time: "x", body }),
  );
  const signature = sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64");
  return fx.callback(raw, { "callback-signature": signature });
}

/**
 * The sandbox revokes every token when a test starts; the real bank does not. So
 * that a count of bank requests counts this test's lookups and not a container's
 * first 401, each container that will ask the bank gets its new token first.
 */
async function warmTokens() {
  const { orderId, bankOrderId } = await createdOrder();
  await fx.getOrder(orderId);
  await fx.handlers().bank.getPaymentDetails(bankOrderId, { deadline: Date.now() + 10_000 });
}

/** Teaches the merchant id the way production does: a stored callback for one of our own orders. */
async function learnMerchant() {
  const { bankOrderId } = await createdOrder();
  await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
  expect(await fx.handlers().merchant.get()).toBe("10000");
}

describe("a signed callback about someone else's bank order", () => {
  it("0.01 GEL naming our pending order: not applied, kept aside; a retry still gets a payment page", async () => {
    const { orderId, key } = await pendingOrder();
    const before = fx.metrics.filter((m) => m === CALLBACK_ANOMALY).length;
    const attack = await paidBankOrder(fx.handlers().bank, orderId, 1);

    const stored = await order(orderId);
    expect(stored).toMatchObject({ status: "pending", bankOrderId: null, amount: 2500 });
    expect(stored.anomalies).toEqual([
      expect.objectContaining({
        reason: "amount_mismatch",
        bankOrderId: attack.bankOrderId,
        status: "completed",
        source: "callback",
      }),
    ]);
    expect(fx.metrics.filter((m) => m === CALLBACK_ANOMALY).length).toBe(before + 1);

    const retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(retry.status).toBe(201);
    expect(retry.body.orderId).toBe(orderId);
    expect(retry.body.redirectUrl).toEqual(expect.any(String));
    expect(retry.body.redirectUrl).not.toContain(attack.bankOrderId);
    expect((await order(orderId)).status).toBe("created");
  });

  it("another merchant's order for our exact amount: the bank, asked with our credentials, does not confirm it", async () => {
    const { orderId } = await pendingOrder();
    await warmTokens();
    const receipts = (await stats(fx.sandbox())).receipt;
    const attack = await paidBankOrder(otherMerchantBank(), orderId, 2500);
    expect((await stats(fx.sandbox())).receipt - receipts).toBe(1);
    const stored = await order(orderId);
    expect(stored).toMatchObject({ status: "pending", bankOrderId: null });
    expect(stored.anomalies).toEqual([
      expect.objectContaining({ reason: "bank_does_not_confirm", bankOrderId: attack.bankOrderId }),
    ]);
  });

  it("a second bank order naming an order that has one: not applied", async () => {
    const { orderId, bankOrderId } = await createdOrder();
    const other = await paidBankOrder(fx.handlers().bank, orderId, 2500);
    const stored = await order(orderId);
    expect(stored).toMatchObject({ status: "created", bankOrderId });
    expect(stored.anomalies).toEqual([
      expect.objectContaining({ reason: "bank_order_mismatch", bankOrderId: other.bankOrderId }),
    ]);
  });

  it("our own bank order whose create-order answer was lost: confirmed with the bank, applied; a retry answers its page", async () => {
    const { orderId, key } = await pendingOrder();
    // What create-order sent before its answer was lost: the same basket, our order id as the key.
    const lost = await paidBankOrder(fx.handlers().bank, orderId, 2500, orderId);
    const stored = await order(orderId);
    expect(stored).toMatchObject({ status: "completed", bankOrderId: lost.bankOrderId });
    expect(stored.anomalies).toEqual([]);

    const created = (await stats(fx.sandbox())).ordersCreated;
    const retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ orderId, redirectUrl: lost.redirectUrl });
    expect((await stats(fx.sandbox())).ordersCreated).toBe(created);
    expect(await order(orderId)).toMatchObject({
      status: "completed",
      redirectUrl: lost.redirectUrl,
    });
  });
});

describe("a signed callback naming a pending order, confirmed with the bank", () => {
  it("about another of our own bank orders: the bank names another order, kept aside as not_our_order", async () => {
    const { orderId } = await pendingOrder();
    const other = await fx.handlers().bank.createOrder(
      {
        callbackUrl: "http://127.0.0.1:9/nowhere",
        externalOrderId: randomUUID(),
        currency: "GEL",
        total: 2500,
        basket: [{ productId: "sku-cup", quantity: 1, unitPrice: 2500 }],
      },
      { idempotencyKey: randomUUID(), deadline: Date.now() + 10_000 },
    );
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${other.bankOrderId}/pay`, { outcome: "completed" });
    const answer = await signedDetails(other.bankOrderId, (b) => {
      b.external_order_id = orderId;
    });
    expect(answer.body).toEqual({ received: true, outcome: "anomaly" });
    const stored = await order(orderId);
    expect(stored).toMatchObject({ status: "pending", bankOrderId: null });
    expect(stored.anomalies).toEqual([
      expect.objectContaining({
        reason: "not_our_order",
        bankOrderId: other.bankOrderId,
        source: "bank",
      }),
    ]);
  });

  it("a replay of a message the bank refused costs no lookup and blocks no genuine one", async () => {
    const { orderId, key } = await pendingOrder();
    await warmTokens();
    const attack = await paidBankOrder(otherMerchantBank(), orderId, 2500);
    const receipts = (await stats(fx.sandbox())).receipt;
    const replay = await signedDetails(attack.bankOrderId, () => undefined);
    expect(replay.body).toEqual({ received: true, outcome: "anomaly" });
    expect((await stats(fx.sandbox())).receipt).toBe(receipts);
    expect((await order(orderId)).anomalies).toHaveLength(1);

    // Our own bank order for it (its create-order answer was lost) is still adopted at once.
    const lost = await paidBankOrder(fx.handlers().bank, orderId, 2500, orderId);
    expect(await order(orderId)).toMatchObject({
      status: "completed",
      bankOrderId: lost.bankOrderId,
    });
    const retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(retry.body).toMatchObject({ orderId, redirectUrl: lost.redirectUrl });
  });
});

describe("a signed callback that does not agree with our order", () => {
  it.each([
    [
      "another merchant's",
      "other_merchant",
      (b: Record<string, unknown>) => {
        b.client = { id: "20000" };
      },
    ],
    [
      "another currency",
      "currency_mismatch",
      (b: Record<string, unknown>) => {
        b.purchase_units = { ...(b.purchase_units as object), currency_code: "USD" };
      },
    ],
    [
      "another amount",
      "amount_mismatch",
      (b: Record<string, unknown>) => {
        b.purchase_units = { ...(b.purchase_units as object), request_amount: "250.00" };
      },
    ],
    [
      "more charged than asked",
      "capture_exceeds_authorized",
      (b: Record<string, unknown>) => {
        b.purchase_units = { ...(b.purchase_units as object), transfer_amount: "25.01" };
      },
    ],
    [
      "more refunded than asked",
      "refund_exceeds_charged",
      (b: Record<string, unknown>) => {
        b.order_status = { key: "refunded", value: "" };
        b.purchase_units = { ...(b.purchase_units as object), refund_amount: "25.01" };
      },
    ],
    [
      "no amounts",
      "amounts_missing",
      (b: Record<string, unknown>) => {
        b.purchase_units = null;
      },
    ],
  ])("%s: 200, kept aside as %s, the order untouched", async (_case, reason, change) => {
    await learnMerchant();
    const { orderId, bankOrderId } = await createdOrder();
    const before = await order(orderId);
    const answer = await signedDetails(bankOrderId, (body) => {
      body.order_status = { key: "completed", value: "" };
      change(body);
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ received: true, outcome: "anomaly" });
    const after = await order(orderId);
    expect(after.anomalies).toEqual([expect.objectContaining({ reason, bankOrderId })]);
    expect({ ...after, anomalies: [] }).toEqual(before);
  });

  it("the same body, agreeing, is applied (the checks above are not what stops it)", async () => {
    await learnMerchant();
    const { orderId, bankOrderId } = await createdOrder();
    const answer = await signedDetails(bankOrderId, (body) => {
      body.order_status = { key: "completed", value: "" };
    });
    expect(answer.body).toEqual({ received: true, outcome: "stored" });
    expect(await order(orderId)).toMatchObject({ status: "completed", anomalies: [] });
  });

  it("anomalies kept on one order are bounded; more are still counted", async () => {
    const { orderId, bankOrderId } = await createdOrder();
    const before = fx.metrics.filter((m) => m === CALLBACK_ANOMALY).length;
    for (let i = 0; i < 25; i += 1) {
      await signedDetails(bankOrderId, (body) => {
        body.purchase_units = { ...(body.purchase_units as object), request_amount: "1.00" };
      });
    }
    expect((await order(orderId)).anomalies).toHaveLength(20);
    expect(fx.metrics.filter((m) => m === CALLBACK_ANOMALY).length).toBe(before + 25);
  });
});

describe("the merchant's id", () => {
  it("is learned from our own orders and shared through the table", async () => {
    await learnMerchant();
    const fresh = new MerchantIdentity(
      undefined,
      dynamoMerchantIdStore(fx.handlers().doc, fx.tables().bankToken),
    );
    expect(await fresh.get()).toBe("10000");
  });

  it("a configured id wins over anything learned", async () => {
    const store = dynamoMerchantIdStore(fx.handlers().doc, fx.tables().bankToken);
    const configured = new MerchantIdentity("39155", store);
    await configured.learn("10000");
    expect(await configured.get()).toBe("39155");
  });
});

describe("unsigned callbacks", () => {
  it("200 naming one real bank order make at most one bank lookup", async () => {
    await warmTokens();
    const { bankOrderId } = await createdOrder();
    const before = (await stats(fx.sandbox())).receipt;
    const raw = Buffer.from(
      JSON.stringify({ event: "order_payment", body: { order_id: bankOrderId } }),
    );
    // Four waves of 50 at once, as 50 containers would take them.
    const answers = [];
    for (let wave = 0; wave < 4; wave += 1) {
      answers.push(...(await Promise.all(Array.from({ length: 50 }, () => fx.callback(raw)))));
    }
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect((await stats(fx.sandbox())).receipt - before).toBe(1);
  });

  it("polls and unsigned callbacks together share one lookup", async () => {
    await warmTokens();
    const { orderId, bankOrderId } = await createdOrder();
    const before = (await stats(fx.sandbox())).receipt;
    const raw = Buffer.from(
      JSON.stringify({ event: "order_payment", body: { order_id: bankOrderId } }),
    );
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0 ? fx.callback(raw) : fx.getOrder(orderId),
      ),
    );
    expect((await stats(fx.sandbox())).receipt - before).toBe(1);
  });
});

describe("unsigned callbacks while the bank misbehaves", () => {
  const unsigned = (bankOrderId: string) =>
    Buffer.from(JSON.stringify({ event: "order_payment", body: { order_id: bankOrderId } }));

  it("a slow bank: callbacks arriving during the lookup start no second one", async () => {
    await warmTokens();
    const { bankOrderId } = await createdOrder();
    // Longer than the shortest lease (5 s): the lease must last as long as the lookup.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", delayMs: 6000, count: 100 });
    const before = (await stats(fx.sandbox())).receipt;
    const answers = [];
    for (let i = 0; i < 20; i += 1) {
      answers.push(fx.callback(unsigned(bankOrderId)));
      await new Promise((resolve) => setTimeout(resolve, 350));
    }
    await Promise.all(answers);
    expect((await stats(fx.sandbox())).receipt - before).toBe(1);
  });

  it("a bank answering 503: one lookup (with its retries) per refresh interval, not one per callback", async () => {
    await warmTokens();
    const { bankOrderId } = await createdOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 503, count: 100 });
    const before = (await stats(fx.sandbox())).receipt;
    const answers = [];
    // Past the shortest lease (5 s): a failed lookup still holds it for the refresh interval.
    for (let i = 0; i < 16; i += 1) {
      answers.push(fx.callback(unsigned(bankOrderId)));
      await new Promise((resolve) => setTimeout(resolve, 450));
    }
    const statuses = (await Promise.all(answers)).map((a) => a.status);
    expect(statuses.filter((s) => s === 503).length).toBe(1);
    expect(statuses.filter((s) => s === 200).length).toBe(15);
    expect((await stats(fx.sandbox())).receipt - before).toBeLessThanOrEqual(3);
  });

  it("a bank answering something that is not a receipt: 502 bank_unavailable, not a 500", async () => {
    await warmTokens();
    const { bankOrderId } = await createdOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 200, count: 1 });
    const answer = await fx.callback(unsigned(bankOrderId));
    expect(answer.status).toBe(502);
    expect((answer.body.error as { code: string }).code).toBe("bank_unavailable");
  });

  it("a bank refusing the lookup: 200, nothing changes (retrying the hint would not help)", async () => {
    await warmTokens();
    const { orderId, bankOrderId } = await createdOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 404, count: 1 });
    const answer = await fx.callback(unsigned(bankOrderId));
    expect(answer.status).toBe(200);
    expect((await order(orderId)).status).toBe("created");
  });

  it("an unsigned body that is not a payment event: 400", async () => {
    const { bankOrderId } = await createdOrder();
    const raw = Buffer.from(JSON.stringify({ event: "refund", body: { order_id: bankOrderId } }));
    expect((await fx.callback(raw)).status).toBe(400);
  });
});
