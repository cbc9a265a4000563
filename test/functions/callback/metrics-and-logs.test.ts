import { randomUUID, sign } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import {
  CALLBACK_ANOMALY,
  CALLBACKS,
  INVALID_CALLBACK_SIGNATURE,
  UNSIGNED_CALLBACK,
} from "../../../lib/metrics.js";
import { LOOKUP_LEASE_MS } from "../../../lib/orders/storage/order-leases.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * What an operator sees of each callback: the `Callbacks` metric by outcome (the
 * dashboard's), the security metrics the alarms watch, and one log line per outcome
 * that names the order and the bank order. And what each answer leaves on the order
 * for the next lookup.
 */
const fx = useFunctions({
  env: { STATUS_REFRESH_SECONDS: "60" },
  logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }),
});
const output = captureOutput({ echo: false });
const BASKET = { items: [{ productId: "sku-cup", quantity: 2 }] }; // 25.00 GEL

afterEach(() => {
  fx.counters.callback.intercept = undefined;
});

const lines = (message: string) => output.logLines().filter((l) => l.message === message);
const outcomes = () =>
  fx.metricRecords
    .filter((m) => m.name === CALLBACKS)
    .map((m) => ({ value: m.value, outcome: m.options?.dimensions?.Outcome }));
const count = (name: string) => fx.metrics.filter((m) => m === name).length;

async function unpaidOrder() {
  const { body, status } = await fx.postOrder(BASKET);
  expect(status, JSON.stringify(body)).toBe(201);
  const orderId = body.orderId as string;
  return { orderId, bankOrderId: await bankOrderIdOf(fx, orderId) };
}

/** The sandbox's details of a bank order, as a signed event (changed by `change`). */
async function signed(
  bankOrderId: string,
  change: (body: Record<string, unknown>) => void = () => {},
) {
  const body = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
  change(body);
  const raw = Buffer.from(
    JSON.stringify({ event: "order_payment", zoned_request_time: "x", body }),
  );
  return { raw, signature: sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64") };
}

const deliver = (s: { raw: Buffer; signature: string }) =>
  fx.callback(s.raw, { "callback-signature": s.signature });

const unsignedFor = (orderId: unknown) =>
  Buffer.from(JSON.stringify({ event: "order_payment", body: { order_id: orderId } }));

/** An order paid at the bank whose callback never reached us. */
async function paidUnheard() {
  const order = await unpaidOrder();
  await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
  await post(fx.sandbox(), `/_sandbox/orders/${order.bankOrderId}/pay`, { outcome: "completed" });
  expect((await fx.handlers().orders.get(order.orderId))?.status).toBe("created");
  await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 0 });
  return order;
}

/** An order whose create-order call the bank refused: stored `pending`, no bank order. */
async function pendingOrder() {
  const key = randomUUID();
  await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 400, count: 1 });
  expect((await fx.postOrder(BASKET, { "idempotency-key": key })).status).toBe(502);
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `idem#${key}` } }));
  return Item?.orderId as string;
}

/** Our own bank order for `orderId`, paid, its callback not delivered: as if create-order's answer was lost. */
async function lostBankOrder(orderId: string) {
  const created = await fx.handlers().bank.createOrder(
    {
      callbackUrl: "http://127.0.0.1:9/nowhere",
      externalOrderId: orderId,
      currency: "GEL",
      total: 2500,
      basket: [{ productId: "sku-cup", quantity: 2, unitPrice: 1250 }],
    },
    { idempotencyKey: orderId, deadline: Date.now() + 10_000 },
  );
  await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
  await post(fx.sandbox(), `/_sandbox/orders/${created.bankOrderId}/pay`, { outcome: "completed" });
  return created.bankOrderId;
}

describe("signed callbacks, counted and logged by outcome", () => {
  it("stored: one Callbacks count with Outcome stored; 'callback stored' names the order, the bank order and the status", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    const callback = await signed(bankOrderId);
    output.clear();
    fx.metricRecords.length = 0;
    const answer = await deliver(callback);
    expect(answer.body).toEqual({ received: true, outcome: "stored" });
    expect(outcomes()).toEqual([{ value: 1, outcome: "stored" }]);
    expect(lines("callback stored")).toEqual([
      expect.objectContaining({
        level: "INFO",
        orderId,
        bankOrderId,
        status: "completed",
        signed: true,
      }),
    ]);
  });

  it("a duplicate: Outcome unchanged; 'callback not applied' says why", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    const again = await signed(bankOrderId);
    output.clear();
    fx.metricRecords.length = 0;
    expect((await deliver(again)).body).toEqual({ received: true, outcome: "unchanged" });
    expect(outcomes()).toEqual([{ value: 1, outcome: "unchanged" }]);
    expect(lines("callback not applied")).toEqual([
      expect.objectContaining({ orderId, bankOrderId, outcome: "unchanged", status: "completed" }),
    ]);
    expect(lines("callback stored")).toEqual([]);
  });

  it("an amount that does not match: Outcome anomaly, the anomaly metric and a security warning with the reason", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    const callback = await signed(bankOrderId, (b) => {
      (b.purchase_units as Record<string, unknown>).request_amount = "0.01";
      b.order_status = { key: "completed" };
    });
    output.clear();
    fx.metricRecords.length = 0;
    const anomalies = count(CALLBACK_ANOMALY);
    expect((await deliver(callback)).body).toEqual({ received: true, outcome: "anomaly" });
    expect(outcomes()).toEqual([{ value: 1, outcome: "anomaly" }]);
    expect(count(CALLBACK_ANOMALY)).toBe(anomalies + 1);
    expect(
      lines("security: a bank message does not match the order it names; not applied"),
    ).toEqual([
      expect.objectContaining({
        level: "WARN",
        orderId,
        reason: "amount_mismatch",
        source: "callback",
        bankOrderId,
        status: "completed",
      }),
    ]);
  });

  it("naming neither an order id of ours nor a bank order we know: Outcome unknownOrder, a warning", async () => {
    const { bankOrderId } = await unpaidOrder();
    const stranger = randomUUID();
    const callback = await signed(bankOrderId, (b) => {
      b.order_id = stranger;
      b.external_order_id = "shop-order-17";
    });
    output.clear();
    fx.metricRecords.length = 0;
    expect((await deliver(callback)).body).toEqual({ received: true, outcome: "unknownOrder" });
    expect(outcomes()).toEqual([{ value: 1, outcome: "unknownOrder" }]);
    expect(lines("callback for an order we did not make; nothing stored")).toEqual([
      expect.objectContaining({ level: "WARN", bankOrderId: stranger }),
    ]);
  });

  it("a signature that does not verify: Outcome invalid_signature, and a security warning with the body's size", async () => {
    const { bankOrderId } = await unpaidOrder();
    const { raw } = await signed(bankOrderId);
    const forged = sign("sha256", Buffer.from("something else"), fx.sandbox().bank.privateKey);
    output.clear();
    fx.metricRecords.length = 0;
    const answer = await fx.callback(raw, { "callback-signature": forged.toString("base64") });
    expect(answer.status).toBe(401);
    expect(outcomes()).toEqual([{ value: 1, outcome: "invalid_signature" }]);
    expect(fx.metricRecords.map((m) => m.name)).toEqual([INVALID_CALLBACK_SIGNATURE, CALLBACKS]);
    expect(lines("security: callback signature does not verify; nothing stored")).toEqual([
      expect.objectContaining({ level: "WARN", bytes: raw.length }),
    ]);
  });

  it("a signed body that is not a payment event: 400 saying what is wrong with it, Outcome invalid_request", async () => {
    const raw = Buffer.from(JSON.stringify({ event: "order_payment", body: { order_id: 7 } }));
    const signature = sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64");
    fx.metricRecords.length = 0;
    const answer = await fx.callback(raw, { "callback-signature": signature });
    expect(answer.status).toBe(400);
    const error = answer.body.error as { code: string; message: string };
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/^not a payment event: \S/);
    expect(outcomes()).toEqual([{ value: 1, outcome: "invalid_request" }]);
  });

  it("DynamoDB failing: 500, Outcome error (the bank retries)", async () => {
    const { bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    const callback = await signed(bankOrderId);
    fx.counters.callback.intercept = () => {
      throw new Error("socket hang up");
    };
    fx.metricRecords.length = 0;
    expect((await deliver(callback)).status).toBe(500);
    expect(outcomes()).toEqual([{ value: 1, outcome: "error" }]);
  });
});

describe("a signed callback for an order with no bank order on file", () => {
  it("confirmed with the bank: stored, and 'callback confirmed with the bank' says so", async () => {
    const orderId = await pendingOrder();
    const bankOrderId = await lostBankOrder(orderId);
    const callback = await signed(bankOrderId);
    output.clear();
    expect((await deliver(callback)).body).toEqual({ received: true, outcome: "stored" });
    expect(await fx.handlers().orders.get(orderId)).toMatchObject({
      status: "completed",
      bankOrderId,
    });
    expect(lines("callback confirmed with the bank")).toEqual([
      expect.objectContaining({ orderId, bankOrderId, outcome: "stored" }),
    ]);
  });

  it("while another request is asking the bank about it: 503 with Retry-After of the lookup lease, no lookup", async () => {
    const orderId = await pendingOrder();
    const bankOrderId = await lostBankOrder(orderId);
    const callback = await signed(bankOrderId);
    const now = Date.now();
    expect(await fx.handlers().orders.leases.claimLookup(orderId, now, 60_000, now + 10_000)).toBe(
      true,
    );
    const receipts = (await stats(fx.sandbox())).receipt;
    const answer = await deliver(callback);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      error: { code: "service_unavailable", message: "the order is being checked; try again" },
    });
    expect(answer.headers["retry-after"]).toBe(String(LOOKUP_LEASE_MS / 1000));
    expect((await stats(fx.sandbox())).receipt).toBe(receipts);
    expect(await fx.handlers().orders.get(orderId)).toMatchObject({
      status: "pending",
      bankOrderId: null,
    });
  });
});

describe("unsigned callbacks, counted and logged", () => {
  it("for an order we did not make: the UnsignedCallback metric, Outcome unknownOrder, a warning naming the bank order", async () => {
    const bankOrderId = randomUUID();
    output.clear();
    fx.metricRecords.length = 0;
    expect((await fx.callback(unsignedFor(bankOrderId))).body).toEqual({
      received: true,
      outcome: "unknownOrder",
    });
    expect(fx.metricRecords.map((m) => m.name)).toEqual([UNSIGNED_CALLBACK, CALLBACKS]);
    expect(outcomes()).toEqual([{ value: 1, outcome: "unknownOrder" }]);
    expect(lines("unsigned callback for an order we did not make; nothing stored")).toEqual([
      expect.objectContaining({ level: "WARN", bankOrderId }),
    ]);
  });

  it("for our order: 'asking the bank', then a second within the interval: 'asked recently', no second lookup", async () => {
    const { orderId, bankOrderId } = await paidUnheard();
    output.clear();
    expect((await fx.callback(unsignedFor(bankOrderId))).body).toMatchObject({ outcome: "stored" });
    expect(lines("unsigned callback: asking the bank")).toEqual([
      expect.objectContaining({ orderId, bankOrderId }),
    ]);
    const receipts = (await stats(fx.sandbox())).receipt;
    // The stored answer let go of the lease: hold it again as a concurrent lookup would.
    const now = Date.now();
    await fx.handlers().orders.leases.claimLookup(orderId, now, 0, now + 10_000);
    output.clear();
    expect((await fx.callback(unsignedFor(bankOrderId))).body).toMatchObject({
      outcome: "unchanged",
    });
    expect(
      lines("unsigned callback: the bank was asked about this order recently; nothing to do"),
    ).toEqual([expect.objectContaining({ orderId, bankOrderId })]);
    expect((await stats(fx.sandbox())).receipt).toBe(receipts);
  });

  it("the bank refusing the lookup: a warning with the bank's reason", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 404, count: 1 });
    output.clear();
    expect((await fx.callback(unsignedFor(bankOrderId))).status).toBe(200);
    expect(lines("unsigned callback: the bank refused the lookup")).toEqual([
      expect.objectContaining({ level: "WARN", orderId, reason: expect.stringMatching(/\S/) }),
    ]);
  });

  it("the bank's answer unchanged: the order is marked checked, so polls do not ask again at once", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    const before = Date.now();
    expect((await fx.callback(unsignedFor(bankOrderId))).body).toMatchObject({
      outcome: "unchanged",
    });
    const checkedAt = (await fx.handlers().orders.get(orderId))?.lastBankCheckAt;
    expect(checkedAt).toBeGreaterThanOrEqual(before);
    const receipts = (await stats(fx.sandbox())).receipt;
    await fx.getOrder(orderId);
    expect((await stats(fx.sandbox())).receipt).toBe(receipts);
  });

  it("the bank's answer stored: the write that stores it marks it checked; no second write", async () => {
    const { orderId, bankOrderId } = await paidUnheard();
    await fx.handlers().merchant.learn("10000");
    fx.counters.callback.reset();
    expect((await fx.callback(unsignedFor(bankOrderId))).body).toMatchObject({ outcome: "stored" });
    // On the orders table (the bank token's table aside: the sandbox revoked it): the order
    // by its bank order id, the lease, the stored answer (which also ends the lease).
    const orders = fx.tables().orders;
    expect(fx.counters.callback.targets.filter((t) => t.endsWith(` ${orders}`))).toEqual([
      `QueryCommand ${orders}`,
      `UpdateItemCommand ${orders}`,
      `UpdateItemCommand ${orders}`,
    ]);
    expect((await fx.handlers().orders.get(orderId))?.lastBankCheckAt).toEqual(expect.any(Number));
  });
});

describe("what the unsigned body may hold", () => {
  const answerTo = (raw: Buffer) => fx.callback(raw);
  const refused = {
    error: { code: "invalid_request", message: "the body is not a payment event" },
  };

  it.each([
    ["null", Buffer.from("null")],
    ["an empty bank order id", unsignedFor("")],
    ["a bank order id of 129 characters", unsignedFor("a".repeat(129))],
    ["a bank order id that is a number", unsignedFor(42)],
    ["no event", Buffer.from(JSON.stringify({ body: { order_id: "abc" } }))],
    ["not JSON", Buffer.from("order_id=abc")],
  ])("%s: 400, nothing looked up", async (_name, raw) => {
    fx.counters.callback.reset();
    const answer = await answerTo(raw);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(refused);
    expect(fx.counters.callback.calls).toEqual([]);
  });

  it("a bank order id of 128 characters is looked up (and is not ours)", async () => {
    const answer = await answerTo(unsignedFor("a".repeat(128)));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ received: true, outcome: "unknownOrder" });
  });
});
