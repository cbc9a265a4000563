import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { reconcileHandler } from "../../../functions/reconcile/app.js";
import { orderKey } from "../../../lib/orders/storage/order-item.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, strandedOrder, useFunctions } from "../../support/functions.js";
import { heldOrder } from "../../support/merchant-calls.js";

/**
 * The sweep and the open index at their edges: orders stored before the merchant API,
 * the expiry's grace, final orders.
 */

type Fx = ReturnType<typeof useFunctions>;

async function item(fx: Fx, orderId: string) {
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: orderKey(orderId) }));
  return Item as Record<string, unknown>;
}

describe("orders stored before the merchant API (no createdKey)", () => {
  const fx = useFunctions({
    env: { STATUS_REFRESH_SECONDS: "0", RECONCILE_STALE_SECONDS: "0" },
  });

  // docs/reconciliation.md ( "Upgrading a deployed stack"): an old open order "joins the
  // index the next time anyone asks the bank about it". markChecked sets openShard, but
  // byOpen's sort key is createdKey, which orders stored before the merchant API lack:
  // the item never enters the index, and the sweep never repairs it.
  it("join the index of open orders when the bank is next asked, and are swept", async () => {
    const created = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: orderKey(orderId),
        UpdateExpression: "REMOVE openShard, createdKey, listShard, statusShard",
      }),
    );
    expect((await fx.getOrder(orderId)).body.status).toBe("created"); // asks the bank
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    // Paid; every callback lost; nobody polls.
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "callback",
      status: 503,
      count: 10_000,
    });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    await new Promise((r) => setTimeout(r, 1100));
    await fx.sweep();
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
  });
});

describe("the expiry's grace", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  const stranded = (ttlMinutes: number) =>
    strandedOrder(fx, { items: [{ productId: "sku-cup", quantity: 1 }], ttlMinutes });

  const sweepAt = (aheadMs: number) =>
    reconcileHandler({ ...fx.handlers().reconcileDeps, now: () => Date.now() + aheadMs })(
      {},
      lambdaContext("reconcile", 60_000),
    );

  it("a pending order just past its ttl (inside the 5 minutes' grace) is not expired yet", async () => {
    const orderId = await stranded(2);
    // 2 minutes of ttl, then 3 more: past the ttl, inside the grace.
    expect((await sweepAt(5 * 60_000)).expired).toBe(0);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("pending");
    expect((await sweepAt(8 * 60_000)).expired).toBe(1);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("rejected");
  });
});

describe("the sweep and final orders", () => {
  const fx = useFunctions({
    env: { STATUS_REFRESH_SECONDS: "60", RECONCILE_STALE_SECONDS: "0" },
  });
  const receipts = async () => (await stats(fx.sandbox())).receipt;

  it("a final order still found in the open part (the index lags) moves to the final part without a bank call", async () => {
    const created = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
    // As the eventually consistent index may still show it: openShard back, long unconfirmed.
    const open = (await item(fx, orderId)).listShard as string;
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: orderKey(orderId),
        UpdateExpression: "SET openShard = :open REMOVE lastBankCheckAt",
        ExpressionAttributeValues: { ":open": open.replace(/^all#/, "open#") },
      }),
    );
    await new Promise((r) => setTimeout(r, 1100));
    const before = await receipts();
    const report = await fx.sweep();
    expect(await receipts()).toBe(before);
    expect(report.closed).toBeGreaterThanOrEqual(1);
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
  });

  it("a pre-authorization (blocked) is open: in the index, asked about (here at the stale cadence, 0)", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    await new Promise((r) => setTimeout(r, 1100));
    const before = await receipts();
    await fx.sweep();
    expect(await receipts()).toBe(before + 1);
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
  });
});
