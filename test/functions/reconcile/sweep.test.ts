import { randomUUID } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { reconcileHandler, SWEEP_MARGIN_MS } from "../../../functions/reconcile/app.js";
import { MIN_ORDER_MS } from "../../../lib/orders/reconcile/sweep.js";
import { orderKey } from "../../../lib/orders/storage/order-item.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { post, stats } from "../../support/bank-calls.js";
import {
  callbacksAnswered,
  placedOrder,
  strandedOrder,
  useFunctions,
} from "../../support/functions.js";

/**
 * The reconciliation sweep (docs/reconciliation.md) as the scheduled function runs it, against
 * DynamoDB Local and the sandbox over HTTP: it finds open orders through the sparse
 * index, asks the bank only about stale ones, and repairs what lost callbacks left.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Fx = ReturnType<typeof useFunctions>;

async function pay(fx: Fx, bankOrderId: string) {
  const paid = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
    outcome: "completed",
  });
  expect(paid.status).toBe(200);
}

/** Every callback attempt from now on is lost on the way. */
async function loseCallbacks(fx: Fx) {
  await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 10_000 });
}

/** The stored item as it is, index attributes included. */
async function item(fx: Fx, orderId: string) {
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: orderKey(orderId) }));
  return Item as Record<string, unknown>;
}

const receipts = async (fx: Fx) => (await stats(fx.sandbox())).receipt;

describe("the sweep repairs lost callbacks", () => {
  const fx = useFunctions({
    env: { STATUS_REFRESH_SECONDS: "0", RECONCILE_STALE_SECONDS: "3" },
  });

  it("asks the bank once per stale open order, never about final or freshly confirmed ones", async () => {
    await loseCallbacks(fx);
    // Final: paid, and a poll saw it (the poll asks the bank and takes it out of the index).
    const final = await placedOrder(fx);
    await pay(fx, final.bankOrderId);
    expect((await fx.getOrder(final.orderId)).body.status).toBe("completed");
    // Stale open: two paid with their callbacks lost, one never paid.
    const paidA = await placedOrder(fx);
    const paidB = await placedOrder(fx);
    const unpaid = await placedOrder(fx);
    await pay(fx, paidA.bankOrderId);
    await pay(fx, paidB.bankOrderId);
    const fresh = await placedOrder(fx);
    await sleep(3100);
    // Fresh: confirmed by a poll just now (it stays `created`, and open).
    expect((await fx.getOrder(fresh.orderId)).body.status).toBe("created");
    const young = await placedOrder(fx); // created just now: not stale either

    const before = await receipts(fx);
    const report = await fx.sweep();
    expect((await receipts(fx)) - before).toBe(3);
    expect(report).toMatchObject({ checked: 3, repaired: 2, complete: true });
    expect(fx.reconcileMetrics.at(-1)).toMatchObject({
      ReconcileChecked: 3,
      ReconcileRepaired: 2,
    });
    for (const { orderId } of [paidA, paidB]) {
      const order = await fx.handlers().orders.get(orderId);
      expect(order?.status).toBe("completed");
      expect(order?.history.at(-1)).toMatchObject({ status: "completed", source: "reconcile" });
      // The status write cannot see operations: it leaves the order in the open part.
      expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    }
    expect((await fx.handlers().orders.get(unpaid.orderId))?.status).toBe("created");
    expect((await item(fx, unpaid.orderId)).openShard).toMatch(/^open#\d$/);
    expect((await item(fx, young.orderId)).openShard).toMatch(/^open#\d$/);

    // At once again: the repaired move to the final part without a bank call, the rest
    // were just confirmed.
    const again = await receipts(fx);
    expect((await fx.sweep()).checked).toBe(0);
    expect(await receipts(fx)).toBe(again);
    for (const { orderId } of [paidA, paidB])
      expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
  });

  it("the oldest open order's age is reported, for the alarm", async () => {
    await fx.sweep();
    const age = fx.reconcileMetrics.at(-1)?.OpenOrderAgeMinutes;
    expect(age).toBe(0); // every order of this file is minutes old at most
    expect(Object.keys(fx.reconcileMetrics.at(-1) ?? {})).toEqual([
      "ReconcileChecked",
      "ReconcileRepaired",
      "OpenOrderAgeMinutes",
    ]);
  });
});

describe("the sweep's time budget", () => {
  const fx = useFunctions({
    env: { RECONCILE_STALE_SECONDS: "0", RECONCILE_CONCURRENCY: "1" },
  });

  it("stops starting orders when its time runs out; the next run does the rest", async () => {
    await loseCallbacks(fx);
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await placedOrder(fx));
    for (const { bankOrderId } of orders) await pay(fx, bankOrderId);
    // Each lookup takes a second; the run may start orders for 1.5 s.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", delayMs: 1000, count: 100 });
    const before = await receipts(fx);
    const first = await fx.sweep(SWEEP_MARGIN_MS + MIN_ORDER_MS + 1500);
    expect(first).toMatchObject({ checked: 2, repaired: 2, complete: false });
    const second = await fx.sweep();
    expect(second).toMatchObject({ checked: 2, repaired: 2, complete: true });
    expect((await receipts(fx)) - before).toBe(4);
    for (const { orderId } of orders)
      expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
  });
});

describe("pending orders without a bank order", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  /** An order whose bank call failed: stored `pending`, no bank order. */
  async function stranded(ttlMinutes = 2) {
    const orderId = await strandedOrder(fx, {
      items: [{ productId: "sku-cup", quantity: 1 }],
      ttlMinutes,
    });
    const order = await fx.handlers().orders.get(orderId);
    expect(order).toMatchObject({ status: "pending", bankOrderId: null });
    return orderId;
  }

  /** A sweep run whose clock is `aheadMs` ahead. */
  async function sweepAt(aheadMs: number) {
    const deps = fx.handlers().reconcileDeps;
    return reconcileHandler({ ...deps, now: () => Date.now() + aheadMs })(
      {},
      lambdaContext("reconcile", 60_000),
    );
  }

  it("past its ttl, one without a bank call in flight is rejected (expiration); one with a call in flight is not", async () => {
    const expired = await stranded();
    const retrying = await stranded();
    // Not yet: inside its ttl.
    expect((await sweepAt(0)).expired).toBe(0);
    // A create-order retry holds the bank call well past the sweep's clock.
    const claim = await fx
      .handlers()
      .orders.leases.claimPlacement(retrying, Date.now(), Date.now() + 60 * 60_000);
    expect(claim.claimed).toBe(true);
    const before = await receipts(fx);
    const report = await sweepAt(10 * 60_000);
    expect(report).toMatchObject({ expired: 1, repaired: 1, checked: 0 });
    expect(await receipts(fx)).toBe(before);
    const order = await fx.handlers().orders.get(expired);
    expect(order).toMatchObject({ status: "rejected", rejectReason: "expiration" });
    expect(order?.history.at(-1)).toMatchObject({ status: "rejected", source: "reconcile" });
    expect((await item(fx, expired)).openShard).toBeUndefined();
    expect((await fx.handlers().orders.get(retrying))?.status).toBe("pending");
    expect((await item(fx, retrying)).openShard).toMatch(/^open#\d$/);
    // GET /orders/{id} shows it.
    expect((await fx.getOrder(expired)).body).toMatchObject({
      status: "rejected",
      rejectReason: "expiration",
    });
  });
});

describe("Google Pay orders whose create-order answer was lost", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });
  const googlePay = { wallet: { type: "google_pay", token: "sandbox-token" } };

  // As many firings as the client's attempts: a 503 is retried (3 in all), a 400 is not.
  const stranded = (status: number) =>
    strandedOrder(
      fx,
      { items: [{ productId: "sku-cup", quantity: 1 }], ttlMinutes: 2, ...googlePay },
      { status, count: status === 503 ? 3 : 1 },
    );

  it("are never expired after a failure that may hide a charge; one the bank refused is", async () => {
    // The bank may have charged during create-order: only its word can say.
    const unknown = await stranded(503);
    // The bank refused the order outright: nothing was charged.
    const refused = await stranded(400);
    const report = await reconcileHandler({
      ...fx.handlers().reconcileDeps,
      now: () => Date.now() + 10 * 60_000,
    })({}, lambdaContext("reconcile", 60_000));
    expect(report).toMatchObject({ expired: 1 });
    expect((await fx.handlers().orders.get(unknown))?.status).toBe("pending");
    expect((await item(fx, unknown)).openShard).toMatch(/^open#\d$/);
    expect(await fx.handlers().orders.get(refused)).toMatchObject({
      status: "rejected",
      rejectReason: "expiration",
    });
  });
});

describe("the index of open orders", () => {
  const fx = useFunctions({
    env: { STATUS_REFRESH_SECONDS: "60", RECONCILE_STALE_SECONDS: "0" },
  });

  const key = () => ({ "idempotency-key": randomUUID() });
  const refund = (orderId: string) =>
    fx.merchant("POST /merchant/orders/{orderId}/refund", {
      path: `/merchant/orders/${orderId}/refund`,
      pathParameters: { orderId },
      body: {},
      headers: key(),
    });

  it("holds an order in the open part while it is open; a final status leaves it there until the sweep moves it to the final part, without asking the bank", async () => {
    const { orderId, bankOrderId } = await placedOrder(fx);
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    await pay(fx, bankOrderId); // the callback arrives
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    const before = await receipts(fx);
    await fx.sweep();
    expect(await receipts(fx)).toBe(before);
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
  });

  it("a refund in flight reopens it; the bank's callback settling it moves it back to the final part", async () => {
    const { orderId, bankOrderId } = await placedOrder(fx);
    await pay(fx, bankOrderId);
    const answer = await refund(orderId);
    expect(answer.status).toBe(202);
    await callbacksAnswered(fx);
    const after = await fx.handlers().orders.get(orderId);
    expect(after?.status).toBe("refunded");
    expect(after?.operations.map((op) => op.state)).toEqual(["completed"]);
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
  });

  it("a refund whose callbacks are lost stays open until the sweep settles it from the bank", async () => {
    const { orderId, bankOrderId } = await placedOrder(fx);
    await pay(fx, bankOrderId);
    await loseCallbacks(fx);
    expect((await refund(orderId)).status).toBe(202);
    const waiting = await fx.handlers().orders.get(orderId);
    expect(waiting?.status).toBe("completed");
    expect(waiting?.operations.map((op) => op.state)).toEqual(["requested"]);
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);

    const before = await receipts(fx);
    const report = await fx.sweep();
    expect(report).toMatchObject({ checked: 1, repaired: 1 });
    expect((await receipts(fx)) - before).toBe(1);
    const settled = await fx.handlers().orders.get(orderId);
    expect(settled?.status).toBe("refunded");
    expect(settled?.operations.map((op) => op.state)).toEqual(["completed"]);
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
  });

  it("an open order stored before the index existed joins it when the bank is next asked", async () => {
    const { orderId } = await placedOrder(fx);
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: orderKey(orderId),
        UpdateExpression: "REMOVE openShard",
      }),
    );
    expect((await item(fx, orderId)).openShard).toBeUndefined();
    expect((await fx.getOrder(orderId)).body.status).toBe("created"); // asks the bank
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
  });
});

describe("the sweep and a poll share the lookup lease", () => {
  const fx = useFunctions({
    env: { STATUS_REFRESH_SECONDS: "0", RECONCILE_STALE_SECONDS: "0" },
  });

  it("a poll and a sweep at the same time make one bank call", async () => {
    await loseCallbacks(fx);
    const { orderId, bankOrderId } = await placedOrder(fx);
    await pay(fx, bankOrderId);
    // The bank is slow: whoever asks first still holds the lease when the other tries.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", delayMs: 700, count: 5 });
    const before = await receipts(fx);
    const [poll, report] = await Promise.all([fx.getOrder(orderId), fx.sweep()]);
    expect((await receipts(fx)) - before).toBe(1);
    expect(poll.status).toBe(200);
    expect(report.checked + (poll.body.status === "completed" ? 1 : 0)).toBeGreaterThanOrEqual(1);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
  });
});
