import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import { post, stats } from "../../support/bank-calls.js";
import { placedOrder, strandedOrder, useFunctions } from "../../support/functions.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * When GET /orders/{orderId} asks the bank, and what it leaves in the log: never for an
 * order whose status is final or that has no bank order, again once the bank's word is
 * older than STATUS_REFRESH_SECONDS, and a line with the order id for each outcome.
 */
const fx = useFunctions({
  env: { STATUS_REFRESH_SECONDS: "1" },
  logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }),
});
const output = captureOutput({ echo: false });

const receipts = async () => (await stats(fx.sandbox())).receipt;

describe("GET /orders/{orderId} and the bank", () => {
  it("never asks the bank about a final order", async () => {
    const { orderId, bankOrderId } = await placedOrder(fx, {
      items: [{ productId: "sku-cup", quantity: 1 }],
    });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect((await fx.getOrder(orderId)).body.status).toBe("completed");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = await receipts();
    expect((await fx.getOrder(orderId)).body.status).toBe("completed");
    expect(await receipts()).toBe(before);
  });

  it("never asks the bank about an order it has no bank order for", async () => {
    const orderId = await strandedOrder(fx, { items: [{ productId: "sku-cup", quantity: 1 }] });
    const before = await receipts();
    expect((await fx.getOrder(orderId)).body.status).toBe("pending");
    expect(await receipts()).toBe(before);
  });

  it("asks again once the bank's word is older than the refresh interval", async () => {
    const { orderId } = await placedOrder(fx, { items: [{ productId: "sku-cup", quantity: 1 }] });
    const before = await receipts();
    await fx.getOrder(orderId);
    expect(await receipts()).toBe(before + 1);
    await fx.getOrder(orderId);
    expect(await receipts()).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await fx.getOrder(orderId);
    expect(await receipts()).toBe(before + 2);
  });

  it("logs a status the bank changed, with the order id and both statuses", async () => {
    const { orderId, bankOrderId } = await placedOrder(fx, {
      items: [{ productId: "sku-cup", quantity: 1 }],
    });
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    output.clear();
    expect((await fx.getOrder(orderId)).body.status).toBe("completed");
    expect(output.logLines()).toContainEqual(
      expect.objectContaining({
        message: "status reconciled with the bank",
        orderId,
        from: "created",
        to: "completed",
      }),
    );
  });

  it("when the bank does not answer: the stored status, and a warning that says so", async () => {
    const { orderId } = await placedOrder(fx, { items: [{ productId: "sku-cup", quantity: 1 }] });
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 503, count: 100 });
    output.clear();
    expect((await fx.getOrder(orderId)).body.status).toBe("created");
    expect(output.logLines()).toContainEqual(
      expect.objectContaining({
        level: "WARN",
        message: "could not reconcile with the bank; answering the stored status",
        orderId,
        reason: expect.stringContaining("bank unavailable for"),
      }),
    );
  });
});
