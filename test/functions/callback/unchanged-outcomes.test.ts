import { randomUUID, sign } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import { get, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * Signed callbacks that store nothing the shop sees, and what they leave for the
 * operator: the answer, the order untouched, and the log line that says why.
 */
const fx = useFunctions({ logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }) });
const output = captureOutput({ echo: false });

const signedBy = (body: Record<string, unknown>) => {
  const raw = Buffer.from(
    JSON.stringify({ event: "order_payment", zoned_request_time: "x", body }),
  );
  return { raw, signature: sign("sha256", raw, fx.sandbox().bank.privateKey).toString("base64") };
};
const warnings = () => output.logLines().filter((line) => line.level === "WARN");

describe("a signed callback that changes nothing", () => {
  it("for an order id we never made: 200 unknownOrder, no bank call, a warning", async () => {
    // Our merchant's callback in every other way: the bank's own details of a real order.
    const { body } = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    const bankOrderId = await bankOrderIdOf(fx, body.orderId as string);
    const details = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
    output.clear();
    const before = await stats(fx.sandbox());
    const { raw, signature } = signedBy({
      ...details,
      order_id: randomUUID(),
      external_order_id: randomUUID(),
      order_status: { key: "completed" },
    });
    const answer = await fx.callback(raw, { "callback-signature": signature });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: "unknownOrder" });
    expect((await stats(fx.sandbox())).receipt).toBe(before.receipt);
    expect(warnings()).toEqual([
      expect.objectContaining({
        message: "callback for an order we did not make; nothing stored",
      }),
    ]);
  });

  it("with a status the bank does not document: kept aside on the order, which stays as it was", async () => {
    const { body } = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    const orderId = body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    const details = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
    const { raw, signature } = signedBy({ ...details, order_status: { key: "on_hold" } });
    const answer = await fx.callback(raw, { "callback-signature": signature });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ outcome: "unknownStatus" });
    const order = await fx.handlers().orders.get(orderId);
    expect(order).toMatchObject({ status: "created", unknownBankStatus: "on_hold" });
    expect(warnings()).toEqual([
      expect.objectContaining({
        message: "the bank reports a status we do not know; kept aside",
        status: "on_hold",
      }),
    ]);
  });
});
