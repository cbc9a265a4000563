import { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { idempotencyKey, merchantCreate, merchantOperation } from "../../support/merchant-calls.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * docs/merchant-api.md's refund, capture and void as the merchant's backend reads them: each
 * refusal's words (an operator acts on them), what a retry of an operation the bank
 * accepted costs (nothing at the bank), what a refusal by the bank gives back, and
 * the log line each outcome leaves.
 */
const fx = useFunctions({ logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }) });
const output = captureOutput({ echo: false });

const BASKET = {
  currency: "GEL",
  items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "25.00" }],
};
const key = idempotencyKey;

async function paid(body: Record<string, unknown> = BASKET, paymentMethod = "card") {
  const created = await merchantCreate(fx, body);
  expect(created.status).toBe(201);
  const orderId = created.body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
    outcome: "completed",
    paymentMethod,
  });
  return { orderId, bankOrderId };
}

const refusal = (code: string, message: string) => ({ error: { code, message } });
const noCallbacks = () =>
  post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
const lines = (message: string) => output.logLines().filter((l) => l.message === message);

describe("refusals, in words", () => {
  it("a refund of a held payment, a capture of a paid one", async () => {
    const held = await paid({ ...BASKET, capture: "manual", paymentMethods: ["card"] });
    expect((await merchantOperation(fx, held.orderId, "refund")).body).toEqual(
      refusal("invalid_state", "a refund is not possible while the order is blocked"),
    );
    const done = await paid();
    expect((await merchantOperation(fx, done.orderId, "capture")).body).toEqual(
      refusal("invalid_state", "a capture is not possible while the order is completed"),
    );
    expect((await merchantOperation(fx, done.orderId, "void")).body).toEqual(
      refusal("invalid_state", "a void is not possible while the order is completed"),
    );
  });

  it("more than is left to refund says how much is left; nothing left says 0.00", async () => {
    const { orderId } = await paid();
    await noCallbacks();
    expect((await merchantOperation(fx, orderId, "refund", { amount: "10.00" })).status).toBe(202);
    expect((await merchantOperation(fx, orderId, "refund", { amount: "15.01" })).body).toEqual(
      refusal("amount_exceeds_balance", "at most 15.00 GEL is left to refund"),
    );
    // The rest, in flight: what is left is nothing, whatever is asked for.
    expect((await merchantOperation(fx, orderId, "refund")).status).toBe(202);
    expect((await merchantOperation(fx, orderId, "refund")).body).toEqual(
      refusal("amount_exceeds_balance", "at most 0.00 GEL is left to refund"),
    );
  });

  it("a capture above the hold, a partial refund of a method refunded only in full", async () => {
    const held = await paid({ ...BASKET, capture: "manual", paymentMethods: ["card"] });
    expect(
      (await merchantOperation(fx, held.orderId, "capture", { amount: "25.01" })).body,
    ).toEqual(refusal("amount_exceeds_balance", "at most 25.00 GEL is authorized"));
    const p2p = await paid(BASKET, "bog_p2p");
    expect((await merchantOperation(fx, p2p.orderId, "refund", { amount: "1.00" })).body).toEqual(
      refusal("partial_not_allowed", "the bank refunds bog_p2p only in full"),
    );
  });

  it("an amount of nothing: 400 naming the field, nothing sent", async () => {
    const { orderId } = await paid();
    const before = (await stats(fx.sandbox())).refund;
    const message = "amount must be more than 0.00";
    for (const kind of ["refund", "capture"] as const) {
      expect((await merchantOperation(fx, orderId, kind, { amount: "0.00" })).body).toEqual({
        error: { code: "invalid_request", message, details: [{ path: "amount", message }] },
      });
    }
    expect((await stats(fx.sandbox())).refund).toBe(before);
    expect((await fx.handlers().orders.get(orderId))?.operations).toEqual([]);
  });

  it("a key used for another request", async () => {
    const { orderId } = await paid();
    const headers = key();
    await merchantOperation(fx, orderId, "refund", { amount: "1.00" }, headers);
    expect(
      (await merchantOperation(fx, orderId, "refund", { amount: "2.00" }, headers)).body,
    ).toEqual(
      refusal("idempotency_conflict", "this Idempotency-Key was used with a different request"),
    );
  });
});

describe("a void", () => {
  it("has no amount", async () => {
    const held = await paid({ ...BASKET, capture: "manual", paymentMethods: ["card"] });
    await noCallbacks();
    const answer = await merchantOperation(fx, held.orderId, "void");
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ kind: "void", amount: null, state: "requested" });
  });
});

describe("an operation the bank accepted, not yet settled", () => {
  it("retried with its key: the same answer, no second request to the bank", async () => {
    const { orderId } = await paid();
    await noCallbacks();
    const headers = key();
    const first = await merchantOperation(fx, orderId, "refund", { amount: "5.00" }, headers);
    expect(first.status).toBe(202);
    const before = (await stats(fx.sandbox())).refund;
    fx.counters.merchant.reset();
    const again = await merchantOperation(fx, orderId, "refund", { amount: "5.00" }, headers);
    expect(again.body).toEqual(first.body);
    expect((await stats(fx.sandbox())).refund).toBe(before);
    // The order, the key's claim (which names the earlier operation), the order again:
    // no claim on a bank call the bank already took.
    expect(fx.counters.merchant.calls).toEqual([
      "GetItemCommand",
      "TransactWriteItemsCommand",
      "GetItemCommand",
    ]);
  });
});

describe("the bank refusing an operation", () => {
  it("a capture: the hold is free again, a void is taken", async () => {
    const held = await paid({ ...BASKET, capture: "manual", paymentMethods: ["card"] });
    await post(fx.sandbox(), "/_sandbox/faults", { target: "approve", status: 400, count: 1 });
    output.clear();
    const refused = await merchantOperation(fx, held.orderId, "capture");
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: "bank_rejected" } });
    expect(lines("the bank refused the operation")).toEqual([
      expect.objectContaining({ orderId: held.orderId, operation: "capture" }),
    ]);
    const order = await fx.handlers().orders.get(held.orderId);
    expect(order?.refundCommitted).toBe(0);
    expect((await merchantOperation(fx, held.orderId, "void")).status).toBe(202);
  });

  it("a refund of a paid order: the order leaves the open part of the index again (its day-later check stays)", async () => {
    const { orderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "refund", status: 400, count: 1 });
    expect((await merchantOperation(fx, orderId, "refund")).status).toBe(409);
    const { Item } = await fx
      .handlers()
      .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `order#${orderId}` } }));
    expect(Item?.openShard).toMatch(/^final#\d$/);
    expect(Item?.refundCommitted).toBe(0);
  });
});

describe("log lines", () => {
  it("an operation sent: names the order, the kind and the operation", async () => {
    const { orderId } = await paid();
    output.clear();
    const answer = await merchantOperation(fx, orderId, "refund", { amount: "2.00" });
    expect(lines("operation requested at the bank")).toEqual([
      expect.objectContaining({
        orderId,
        operation: "refund",
        operationId: answer.body.operationId,
      }),
    ]);
  });

  it("a retry after the bank did not answer: asks again with the same key, and says so", async () => {
    const { orderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "refund", status: 503, count: 10 });
    const headers = key();
    expect(
      (await merchantOperation(fx, orderId, "refund", { amount: "2.00" }, headers)).status,
    ).toBe(503);
    fx.sandbox().bank.faults.clear();
    output.clear();
    expect(
      (await merchantOperation(fx, orderId, "refund", { amount: "2.00" }, headers)).status,
    ).toBe(202);
    expect(lines("idempotent replay: asking the bank again with the same key")).toEqual([
      expect.objectContaining({ orderId, operation: "refund" }),
    ]);
  });
});
