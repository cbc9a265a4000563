import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderEventsHandler } from "../../functions/order-events/app.js";
import { reconcileHandler } from "../../functions/reconcile/app.js";
import type { OrderEventDetail } from "../../lib/events/order-event.js";
import { ORDERS_PAID, PAID_AMOUNT } from "../../lib/metrics.js";
import { orderKey } from "../../lib/orders/storage/order-item.js";
import { lambdaContext } from "../../local/lambda-events.js";
import { type OrderStream, startOrderStream } from "../../local/order-stream.js";
import { post, stats } from "../support/bank-calls.js";
import { bankOrderIdOf, quietLogger, strandedOrder, useFunctions } from "../support/functions.js";
import { heldOrder, merchantOperation } from "../support/merchant-calls.js";

/**
 * Edge cases of order events, reconciliation and metrics from an adversarial review:
 * bugs it demonstrated (fixed since) and rules whose wrong variant (a mutant) no other
 * test caught.
 */

type Fx = ReturnType<typeof useFunctions>;

const waitFor = async (check: () => boolean, tries = 100) => {
  for (let i = 0; i < tries && !check(); i += 1) await new Promise((r) => setTimeout(r, 50));
};

async function item(fx: Fx, orderId: string) {
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: orderKey(orderId) }));
  return Item as Record<string, unknown>;
}

describe("a partial capture of a pre-authorization", () => {
  const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });
  const events: OrderEventDetail[] = [];
  let stream: OrderStream;

  beforeAll(async () => {
    const handler = orderEventsHandler({
      publish: async (entries) => {
        for (const { detail } of entries) if ("orderId" in detail) events.push(detail);
        return entries.map(() => null);
      },
      log: quietLogger(),
    });
    stream = await startOrderStream({
      endpoint: fx.tables().endpoint,
      tableName: fx.tables().orders,
      handler: (event) => handler(event, lambdaContext("order-events")),
      log: () => {},
      pollMs: 50,
    });
  });
  afterAll(async () => {
    await stream?.stop();
  });

  async function captured(): Promise<{ orderId: string; mark: number }> {
    const { orderId } = await heldOrder(fx, "25.00");
    const mark = fx.metricRecords.length;
    const capture = await merchantOperation(fx, orderId, "capture", { amount: "10.00" });
    expect(capture.status).toBe(202);
    const order = await fx.handlers().orders.get(orderId);
    expect(order).toMatchObject({ status: "partial_completed", capturedAmount: 1000 });
    return { orderId, mark };
  }

  // PaidAmount for partial_completed is `capturedAmount ?? amount`, computed on the
  // applyBankState write, before settleOperations has written capturedAmount: the
  // whole authorization (25) is counted as paid, not the 10 captured.
  it("PaidAmount counts what was captured (10.00), not the authorization (25.00)", async () => {
    const { mark } = await captured();
    await waitFor(() => fx.metricRecords.slice(mark).some((r) => r.name === ORDERS_PAID));
    const amounts = fx.metricRecords
      .slice(mark)
      .filter((r) => r.name === PAID_AMOUNT)
      .map((r) => r.value);
    expect(amounts).toEqual([10]);
  });

  // The status change blocked → partial_completed is the applyBankState write; the
  // captured amount comes one write later (the operation settled). The shop's
  // partial_completed event therefore says capturedAmount: null.
  it("the event of the change to partial_completed carries the captured amount", async () => {
    const { orderId } = await captured();
    await waitFor(
      () => events.filter((e) => e.orderId === orderId && e.capturedAmount !== null).length > 0,
    );
    const change = events.find(
      (e) =>
        e.orderId === orderId && e.status === "partial_completed" && e.previousStatus === "blocked",
    );
    expect(change).toBeDefined();
    expect(change?.capturedAmount).toBe("10.00");
  });
});

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
