import { sign } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { CardStore } from "../../../../lib/cards/card-store.js";
import { applyBankAnswer } from "../../../../lib/orders/bank-answers/apply-bank-answer.js";
import { OperationStore } from "../../../../lib/orders/storage/operation-store.js";
import { get, post } from "../../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../../support/functions.js";
import { heldOrder, merchantOperation } from "../../../support/merchant-calls.js";
import { captureOutput } from "../../../support/stdout-capture.js";

/**
 * After the bank's word is stored, the operations it decides are settled in a second
 * write, conditional on the order's version. These are the faults between the two:
 * the second write losing to concurrent changes, and a process that never made it.
 */
const fx = useFunctions({
  logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }),
});
const output = captureOutput({ echo: false });

afterEach(() => {
  fx.counters.callback.intercept = undefined;
});

async function paidOrder() {
  const { body } = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 2 }] });
  const orderId = body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
  expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
  return { orderId, bankOrderId };
}

/** Makes the callback's settling write fail as if the order kept changing; counts the tries. */
function settlingLoses(): { tries: () => number } {
  let tries = 0;
  fx.counters.callback.intercept = (command, input) => {
    const values = input.ExpressionAttributeValues as Record<string, unknown> | undefined;
    if (command !== "UpdateItemCommand" || !values || !(":ops" in values)) return;
    tries += 1;
    throw new ConditionalCheckFailedException({
      message: "The conditional request failed",
      $metadata: {},
    });
  };
  return { tries: () => tries };
}

describe("settling operations after the bank's word", () => {
  it("loses to concurrent changes three times: gives up with a warning; the status is stored; the next word settles", async () => {
    const { orderId, bankOrderId } = await paidOrder();
    const settling = settlingLoses();
    output.clear();
    // A refund made in the bank's Business Manager: the callback says `refunded`.
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, {});
    expect(settling.tries()).toBe(3);
    const warned = output
      .logLines()
      .filter(
        (l) =>
          l.message === "operations not settled: the order kept changing; the next bank word will",
      );
    expect(warned).toEqual([expect.objectContaining({ level: "WARN", orderId })]);
    const stored = await fx.handlers().orders.get(orderId);
    expect(stored).toMatchObject({ status: "refunded", refundAmount: 2500, operations: [] });

    // The bank's next word (here the same callback again) changes no status, and settles.
    fx.counters.callback.intercept = undefined;
    const body = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
    const { raw, signature } = signedEvent(body);
    const answer = await fx.callback(raw, { "callback-signature": signature });
    expect(answer.body).toEqual({ received: true, outcome: "unchanged" });
    expect((await fx.handlers().orders.get(orderId))?.operations).toEqual([
      expect.objectContaining({
        kind: "refund",
        amount: 2500,
        state: "completed",
        source: "bank",
      }),
    ]);
  });

  it("what it returns is the order as stored after settling, its version included", async () => {
    const { orderId, bankOrderId } = await paidOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, {});
    const details = await fx
      .handlers()
      .bank.getPaymentDetails(bankOrderId, { deadline: Date.now() + 10_000 });
    const { doc } = fx.handlers();
    const applied = await applyBankAnswer(
      orderId,
      details,
      { merchantId: null, source: "bank" },
      {
        orders: fx.handlers().orders,
        operations: new OperationStore(doc, fx.tables().orders),
        cards: new CardStore(doc, fx.tables().orders),
        log: new Logger({ serviceName: "test", logLevel: "SILENT" }),
        metric: () => undefined,
        now: Date.now,
      },
    );
    expect(applied.outcome).toBe("stored");
    const stored = await fx.handlers().orders.get(orderId);
    expect(stored?.operations).toHaveLength(1);
    expect(applied.order).toEqual(stored);
  });
});

function signedEvent(body: unknown): { raw: Buffer; signature: string } {
  const raw = Buffer.from(
    JSON.stringify({ event: "order_payment", zoned_request_time: "x", body }),
  );
  return { raw, signature: sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64") };
}

describe("nothing open is forgotten", () => {
  it("a final status that settles nothing while a capture waits: the order stays in the open index", async () => {
    const { orderId, bankOrderId } = await heldOrder(fx, "10.00");
    // The bank's callbacks stop reaching us: the capture stays requested.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    const capture = await merchantOperation(fx, orderId, "capture");
    expect(capture.status).toBe(202);

    // A word that is final and decides nothing about the capture.
    const body = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
    const units = body.purchase_units as Record<string, unknown>;
    const { raw, signature } = signedEvent({
      ...body,
      order_status: { key: "refunded" },
      purchase_units: { ...units, refund_amount: null },
      // As genuine bodies may: no actions, so nothing names the capture.
      actions: null,
    });
    const answer = await fx.callback(raw, { "callback-signature": signature });
    expect(answer.body).toEqual({ received: true, outcome: "stored" });
    const order = await fx.handlers().orders.get(orderId);
    expect(order?.status).toBe("refunded");
    expect(order?.operations).toEqual([
      expect.objectContaining({ kind: "capture", state: "requested" }),
    ]);
    const { Item } = await fx
      .handlers()
      .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `order#${orderId}` } }));
    expect(Item?.openShard).toMatch(/^open#\d$/);
  });
});
