import { describe, expect, it } from "vitest";
import { post } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { merchantCreate, merchantOperation } from "../../support/merchant-calls.js";

/**
 * The bank refusing an operation because of the order's state is news (docs/events-and-webhooks.md): a
 * Business Manager refund whose callback was lost is found at once, the order follows
 * the bank, and the 409 says the status the bank has.
 */

const fx = useFunctions();

describe("a refund the bank refuses because the order is already refunded", () => {
  it("asks the bank at once: the order is refunded, the Business Manager's refund its own operation", async () => {
    const created = await merchantCreate(fx, {
      currency: "GEL",
      items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "25.00" }],
    });
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    // The Business Manager refunds it all; its callback never reaches us.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, {});
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");

    const refused = await merchantOperation(fx, orderId, "refund", { amount: "5.00" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "bank_rejected",
      details: [{ path: "status", message: "the bank has this order refunded" }],
    });
    const after = await fx.handlers().orders.get(orderId);
    expect(after?.status).toBe("refunded");
    expect(after?.refundAmount).toBe(2500);
    expect(after?.operations.map((op) => [op.kind, op.state, op.amount, op.source]).sort()).toEqual(
      [
        ["refund", "completed", 2500, "bank"],
        ["refund", "rejected", 500, "merchant"],
      ],
    );
  });
});
