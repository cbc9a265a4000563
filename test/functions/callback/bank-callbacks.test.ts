import { sign, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CALLBACKS, INVALID_CALLBACK_SIGNATURE } from "../../../lib/metrics.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { VECTORS_DIR } from "../../support/paths.js";

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });

async function paidOrder(outcome: "completed" | "rejected" = "completed") {
  const { body } = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 2 }] });
  const orderId = body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  const paid = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome });
  return { orderId, bankOrderId, paid };
}

const storedStatus = async (orderId: string) => (await fx.handlers().orders.get(orderId))?.status;

describe("the bank's callback", () => {
  it("create → pay → signed callback → completed", async () => {
    const { orderId, paid } = await paidOrder();
    expect(paid.body.callback).toMatchObject({ delivered: true, httpStatus: 200 });
    expect(await storedStatus(orderId)).toBe("completed");
    const { body } = await fx.getOrder(orderId);
    expect(body).toMatchObject({ status: "completed", paymentMethod: "card", rejectReason: null });
  });

  it("decline → rejected", async () => {
    const { orderId } = await paidOrder("rejected");
    expect((await fx.getOrder(orderId)).body).toMatchObject({
      status: "rejected",
      rejectReason: "unknown",
    });
  });

  it("refund → refunded_partially → refunded", async () => {
    const { orderId, bankOrderId } = await paidOrder();
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, { amount: "5.00" });
    expect(await storedStatus(orderId)).toBe("refunded_partially");
    expect((await fx.handlers().orders.get(orderId))?.refundAmount).toBe(500);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, { amount: "5.00" });
    expect((await fx.handlers().orders.get(orderId))?.refundAmount).toBe(1000);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, {});
    expect(await storedStatus(orderId)).toBe("refunded");
  });

  it("a signed payment callback costs one DynamoDB request and no bank request", async () => {
    await paidOrder(); // the container has learned the merchant's id (one write, once)
    const { orderId, bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), "/_sandbox/config", { callbackRetryDelaysMs: [] });
    fx.counters.callback.reset();
    const before = await stats(fx.sandbox());
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect(await storedStatus(orderId)).toBe("completed");
    // The conditional write is the whole check: no read before it.
    expect(fx.counters.callback.calls).toEqual(["UpdateItemCommand"]);
    const after = await stats(fx.sandbox());
    expect(after.receipt - before.receipt).toBe(0);
    expect(after.token - before.token).toBe(0);
  });

  it("a signed refund callback costs two DynamoDB requests and no bank request", async () => {
    const { orderId, bankOrderId } = await paidOrder();
    await post(fx.sandbox(), "/_sandbox/config", { callbackRetryDelaysMs: [] });
    fx.counters.callback.reset();
    const before = await stats(fx.sandbox());
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, {});
    expect(await storedStatus(orderId)).toBe("refunded");
    // The status, then the refund the bank made recorded as an operation.
    expect(fx.counters.callback.calls).toEqual(["UpdateItemCommand", "UpdateItemCommand"]);
    const after = await stats(fx.sandbox());
    expect(after.receipt - before.receipt).toBe(0);
    expect(after.token - before.token).toBe(0);
  });

  it("duplicates and older callbacks change nothing", async () => {
    const { orderId, bankOrderId } = await paidOrder();
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, {});
    expect(await storedStatus(orderId)).toBe("refunded");
    const stored = await fx.handlers().orders.get(orderId);
    // The same news again (a duplicate), then older news arriving late.
    const duplicate = await signedCallbackFor(bankOrderId);
    const again = await fx.callback(duplicate.raw, { "callback-signature": duplicate.signature });
    expect(again.body).toMatchObject({ outcome: "unchanged" });
    const late = await replayCompletedCallback(bankOrderId);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ outcome: "unchanged" });
    expect(await fx.handlers().orders.get(orderId)).toEqual(stored);
  });

  it.each([
    ["rejected", "completed"],
    ["completed", "rejected"],
  ] as const)("a late signed '%s' cannot replace '%s'", async (late, stored) => {
    const { orderId, bankOrderId } = await paidOrder(stored);
    expect(await storedStatus(orderId)).toBe(stored);
    const before = await fx.handlers().orders.get(orderId);
    const { raw, signature } = await signedCallbackFor(bankOrderId, { key: late });
    const answer = await fx.callback(raw, { "callback-signature": signature });
    expect(answer.body).toMatchObject({ outcome: "unchanged" });
    expect(await fx.handlers().orders.get(orderId)).toEqual(before);
  });

  it("a signed body is verified on its raw bytes, not on its re-serialisation", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    const details = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
    // The same event as the bank may spell it: indented, and every string character
    // from "e" on spelled as a \u escape. Parsing it gives the sandbox's event exactly.
    const text = JSON.stringify(
      { event: "order_payment", zoned_request_time: "2026-01-01T00:00:00Z", body: details },
      null,
      2,
    ).replace(/"([^"]*)"/g, (_whole, inner: string) => `"${inner.replace(/e/g, "\\u0065")}"`);
    const raw = Buffer.from(text, "utf8");
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(text)), "utf8");
    expect(reserialised.equals(raw)).toBe(false);
    const key = fx.sandbox().bank.privateKey;
    const signature = sign("sha256", raw, key).toString("base64");
    expect(verify("sha256", reserialised, key, Buffer.from(signature, "base64"))).toBe(false);
    const answer = await fx.callback(raw, { "callback-signature": signature });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: "stored" });
    expect(await storedStatus(orderId)).toBe("completed");
  });

  it("the genuine bank callbacks, with the bank's key: 200, nothing stored", async () => {
    const bank = useBankKey();
    for (const n of [1, 2]) {
      const raw = readFileSync(join(VECTORS_DIR, `callback-${n}.body.json`));
      const signature = readFileSync(
        join(VECTORS_DIR, `callback-${n}.signature.txt`),
        "utf8",
      ).trim();
      const answer = await bank.callback(raw, { "callback-signature": signature });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ outcome: "unknownOrder" });
    }
  });

  it("a tampered genuine callback: 401, a metric, nothing stored", async () => {
    const bank = useBankKey();
    const raw = readFileSync(join(VECTORS_DIR, "callback-1.body.json"));
    const signature = readFileSync(join(VECTORS_DIR, "callback-1.signature.txt"), "utf8").trim();
    const tampered = Buffer.from(raw.toString("utf8").replace('"0.01"', '"9.99"'));
    const before = fx.metrics.length;
    const answer = await bank.callback(tampered, { "callback-signature": signature });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: { code: "invalid_signature", message: "the Callback-Signature does not verify" },
    });
    expect(fx.metrics.slice(before)).toEqual([INVALID_CALLBACK_SIGNATURE, CALLBACKS]);
  });

  it("a callback signed by someone else: 401, the order untouched", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    const forged = forgedEvent(bankOrderId, orderId, "completed");
    const { generateKeyPairSync, sign } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const signature = sign("sha256", forged, privateKey).toString("base64");
    expect((await fx.callback(forged, { "callback-signature": signature })).status).toBe(401);
    expect(await storedStatus(orderId)).toBe("created");
  });

  it("an unsigned forged 'completed' for an unpaid order leaves it unpaid (the bank is asked)", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    const before = (await stats(fx.sandbox())).receipt;
    const answer = await fx.callback(forgedEvent(bankOrderId, orderId, "completed"));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: "unchanged" });
    expect((await stats(fx.sandbox())).receipt - before).toBe(1);
    expect(await storedStatus(orderId)).toBe("created");
  });

  it("an unsigned callback for a real payment stores what the bank says", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    const answer = await fx.callback(forgedEvent(bankOrderId, orderId, "rejected"));
    expect(answer.body).toMatchObject({ outcome: "stored" });
    expect(await storedStatus(orderId)).toBe("completed");
  });

  it("an unsigned callback for an order we did not make: 200, no bank call", async () => {
    const before = (await stats(fx.sandbox())).receipt;
    const answer = await fx.callback(
      forgedEvent("9a8b7c6d-0000-4000-8000-000000000000", null, "completed"),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: "unknownOrder" });
    expect((await stats(fx.sandbox())).receipt).toBe(before);
  });

  it("a base64-encoded body is verified on its decoded bytes", async () => {
    const { orderId, bankOrderId } = await unpaidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "rejected" });
    const { raw, signature } = await signedCallbackFor(bankOrderId);
    const answer = await fx.callback(raw, { "callback-signature": signature }, true);
    expect(answer.body).toMatchObject({ outcome: "stored" });
    expect(await storedStatus(orderId)).toBe("rejected");
  });

  it.each([
    ["not JSON", Buffer.from("not json")],
    ["an empty body", Buffer.alloc(0)],
    ["no order id", Buffer.from('{"event":"order_payment","body":{}}')],
  ])("unsigned %s: 400", async (_case, raw) => {
    const answer = await fx.callback(raw);
    expect(answer.status).toBe(400);
    expect((answer.body.error as { code: string }).code).toBe("invalid_request");
  });

  it("a signed body that is not a payment event: 400", async () => {
    const { sign } = await import("node:crypto");
    const raw = Buffer.from('{"event":"something_else"}');
    const key = fx.sandbox().bank.privateKey;
    const answer = await fx.callback(raw, {
      "callback-signature": sign("sha256", raw, key).toString("base64"),
    });
    expect(answer.status).toBe(400);
  });

  it("only POST", async () => {
    const { lambdaContext } = await import("../../../local/lambda-events.js");
    const { callbackEvent } = await import("../../support/functions.js");
    const event = callbackEvent(Buffer.alloc(0));
    event.requestContext.http.method = "GET";
    const result = await fx.handlers().callback(event, lambdaContext("callback"));
    expect(result.statusCode).toBe(405);
  });
});

async function unpaidOrder() {
  const { body } = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
  const orderId = body.orderId as string;
  return { orderId, bankOrderId: await bankOrderIdOf(fx, orderId) };
}

function forgedEvent(bankOrderId: string, orderId: string | null, status: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      event: "order_payment",
      zoned_request_time: new Date().toISOString(),
      body: { order_id: bankOrderId, external_order_id: orderId, order_status: { key: status } },
    }),
  );
}

/**
 * The bank's callback for this order as the sandbox signs it now, not delivered;
 * `status` puts another order status in it (news the bank might send late).
 */
async function signedCallbackFor(
  bankOrderId: string,
  status?: { key: string },
): Promise<{ raw: Buffer; signature: string }> {
  const details = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
  const body = status ? { ...details, order_status: status } : details;
  const raw = Buffer.from(
    JSON.stringify({ event: "order_payment", zoned_request_time: "x", body }),
  );
  return { raw, signature: sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64") };
}

/** A "completed" callback for an order the bank has since refunded, signed like the bank signs. */
async function replayCompletedCallback(bankOrderId: string) {
  const details = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body as Record<
    string,
    unknown
  >;
  const older = {
    ...details,
    order_status: { key: "completed", value: "წარმატებული" },
    actions: null,
    purchase_units: { ...(details.purchase_units as object), refund_amount: null },
  };
  const { sign } = await import("node:crypto");
  const raw = Buffer.from(
    JSON.stringify({ event: "order_payment", zoned_request_time: "x", body: older }),
  );
  return fx.callback(raw, {
    "callback-signature": sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64"),
  });
}

/** The callback handler with the bank's published key (the default), as deployed. */
function useBankKey() {
  return {
    callback: async (raw: Buffer, headers: Record<string, string>) => {
      const { callbackHandler } = await import("../../../functions/callback/app.js");
      const { loadCallbackPublicKey } = await import("../../../lib/bog/callback-signature.js");
      const { BOG_CALLBACK_PUBLIC_KEY_PEM } = await import("../../../lib/bog/bank-callback-key.js");
      const { OrderStore } = await import("../../../lib/orders/storage/order-store.js");
      const { OperationStore } = await import("../../../lib/orders/storage/operation-store.js");
      const { quietLogger, callbackEvent } = await import("../../support/functions.js");
      const { lambdaContext } = await import("../../../local/lambda-events.js");
      const handlers = fx.handlers();
      const handler = callbackHandler({
        orders: new OrderStore(handlers.doc, fx.tables().orders),
        bank: handlers.bank,
        merchant: handlers.merchant,
        operations: new OperationStore(handlers.doc, fx.tables().orders),
        cards: new (await import("../../../lib/cards/card-store.js")).CardStore(
          handlers.doc,
          fx.tables().orders,
        ),
        refreshMs: 60_000,
        publicKey: loadCallbackPublicKey(BOG_CALLBACK_PUBLIC_KEY_PEM),
        metric: (name) => {
          fx.metrics.push(name);
        },
        log: quietLogger(),
        now: Date.now,
      });
      const result = await handler(callbackEvent(raw, headers), lambdaContext("callback"));
      return {
        status: result.statusCode,
        body: JSON.parse(result.body) as Record<string, unknown>,
      };
    },
  };
}
