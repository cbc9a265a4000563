import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { reconcileHandler } from "../../../functions/reconcile/app.js";
import { CALLBACK_ANOMALY } from "../../../lib/metrics.js";
import { reconcileOrder } from "../../../lib/orders/reconcile/reconcile-order.js";
import { createdKeyOf, orderKey } from "../../../lib/orders/storage/order-item.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { heldOrder, merchantCreate, merchantOperation } from "../../support/merchant-calls.js";

/**
 * Holds and final orders follow the bank with nobody polling (docs/events-and-webhooks.md): a `blocked`
 * order is asked about every `blockedCheckHours` (here RECONCILE_BLOCKED_SECONDS) and
 * follows the bank's release after 30 days; a capture or void of a hold older than 29
 * days asks the bank first; a final order is asked about once more a day after its last
 * change, which finds a Business Manager refund whose callback was lost. The sandbox's
 * clock stands for the bank's 30 days; the sweep's clock is moved by `sweepAt`.
 */

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

type Fx = ReturnType<typeof useFunctions>;

const sweepAt = (fx: Fx, aheadMs: number) =>
  reconcileHandler({ ...fx.handlers().reconcileDeps, now: () => Date.now() + aheadMs })(
    {},
    lambdaContext("reconcile", 60_000),
  );

async function item(fx: Fx, orderId: string) {
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: orderKey(orderId) }));
  return Item as Record<string, unknown>;
}

/** The order as if it had been blocked `days` ago (its history and creation moved back). */
async function heldFor(fx: Fx, orderId: string, days: number) {
  const order = await fx.handlers().orders.get(orderId);
  const at = new Date(Date.now() - days * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");
  const history = (order?.history ?? []).map((entry) => ({ ...entry, at }));
  await fx.handlers().doc.send(
    new UpdateCommand({
      TableName: fx.tables().orders,
      Key: orderKey(orderId),
      UpdateExpression: "SET history = :history, createdAt = :at",
      ExpressionAttributeValues: { ":history": history, ":at": at },
    }),
  );
}

const receipts = async (fx: Fx) => (await stats(fx.sandbox())).receipt;

async function paidOrder(fx: Fx): Promise<{ orderId: string; bankOrderId: string }> {
  const created = await merchantCreate(fx, {
    currency: "GEL",
    items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "25.00" }],
  });
  const orderId = created.body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
  expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
  return { orderId, bankOrderId };
}

describe("a hold the bank releases after 30 days", () => {
  const fx = useFunctions({
    env: { RECONCILE_STALE_SECONDS: "0", RECONCILE_BLOCKED_SECONDS: String(24 * 3600) },
  });

  it("is asked about every blockedCheckHours, not at the stale cadence, and not counted for the alarm", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    // Held for 144 minutes: an order waiting for the bank that long would be counted.
    await heldFor(fx, orderId, 0.1);
    const before = await receipts(fx);
    const soon = await sweepAt(fx, HOUR);
    expect(await receipts(fx)).toBe(before);
    expect(soon.oldestOpenMinutes).toBe(0);
    await sweepAt(fx, 25 * HOUR);
    expect(await receipts(fx)).toBe(before + 1);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("blocked");
  });

  it("a 31-day-old hold follows the bank with nobody polling: rejected, its release the bank's own void", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    await post(fx.sandbox(), "/_sandbox/clock", { advanceSeconds: 31 * 24 * 3600 });
    await sweepAt(fx, 31 * DAY);
    const order = await fx.handlers().orders.get(orderId);
    expect(order?.status).toBe("rejected");
    expect(order?.operations).toEqual([
      expect.objectContaining({ kind: "void", state: "completed", source: "bank" }),
    ]);
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
  });
});

describe("a capture or void of a hold older than 29 days", () => {
  const fx = useFunctions();

  it("asks the bank first: a released hold answers 409 invalid_state, and nothing is sent", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    await post(fx.sandbox(), "/_sandbox/clock", { advanceSeconds: 31 * 24 * 3600 });
    await heldFor(fx, orderId, 31);
    const before = await stats(fx.sandbox());
    const capture = await merchantOperation(fx, orderId, "capture");
    expect(capture.status).toBe(409);
    expect(capture.body.error).toMatchObject({ code: "invalid_state" });
    expect(String((capture.body.error as { message: string }).message)).toContain("rejected");
    const after = await stats(fx.sandbox());
    // Asked (the token the bank issued 31 days ago on its clock is refused first, then renewed).
    expect(after.receipt).toBeGreaterThan(before.receipt);
    expect(after.approve).toBe(before.approve);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("rejected");
    const voided = await merchantOperation(fx, orderId, "void");
    expect(voided.status).toBe(409);
    expect((await stats(fx.sandbox())).cancel).toBe(before.cancel);
  });

  it("a hold the bank still has (29 days and a bit): asked, then captured", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    await heldFor(fx, orderId, 29.01);
    const before = await stats(fx.sandbox());
    expect((await merchantOperation(fx, orderId, "void")).status).toBe(202);
    const after = await stats(fx.sandbox());
    expect(after.receipt).toBe(before.receipt + 1);
    expect(after.cancel).toBe(before.cancel + 1);
  });

  it("a younger hold (28 days) is taken as stored: no lookup before the capture", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    await heldFor(fx, orderId, 28.99);
    const before = await stats(fx.sandbox());
    expect((await merchantOperation(fx, orderId, "capture")).status).toBe(202);
    const after = await stats(fx.sandbox());
    expect(after.receipt).toBe(before.receipt);
    expect(after.approve).toBe(before.approve + 1);
  });
});

describe("a final order, a day after its last change", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("is asked about once, then leaves the index; before the day, not at all", async () => {
    const { orderId } = await paidOrder(fx);
    // The status write leaves it in the open part (it cannot see the operations); the
    // sweep moves it to the final part without asking the bank.
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    const before = await receipts(fx);
    await sweepAt(fx, 23 * HOUR);
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
    expect(await receipts(fx)).toBe(before);
    await sweepAt(fx, 25 * HOUR);
    expect(await receipts(fx)).toBe(before + 1);
    expect((await item(fx, orderId)).openShard).toBeUndefined();
    await sweepAt(fx, 50 * HOUR);
    expect(await receipts(fx)).toBe(before + 1);
  });
});

describe("a final order created days ago", () => {
  // Tables and a sandbox of its own: the sandbox's reset between tests revokes the
  // tokens the functions hold, and a lookup refused once for that would count twice.
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("but changed an hour ago is not due yet; a day after the change it is", async () => {
    const { orderId } = await paidOrder(fx);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: orderKey(orderId),
        UpdateExpression: "SET createdAt = :at, createdKey = :key",
        ExpressionAttributeValues: { ":at": twoDaysAgo, ":key": createdKeyOf(twoDaysAgo, orderId) },
      }),
    );
    const before = await receipts(fx);
    await sweepAt(fx, HOUR);
    expect(await receipts(fx)).toBe(before);
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
    await sweepAt(fx, 25 * HOUR);
    expect(await receipts(fx)).toBe(before + 1);
  });
});

describe("a final order's day-later check", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("finds a Business Manager refund whose callback was lost: its own operation, from the bank", async () => {
    const { orderId, bankOrderId } = await paidOrder(fx);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, { amount: "4.00" });
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("completed");
    await sweepAt(fx, 25 * HOUR);
    const order = await fx.handlers().orders.get(orderId);
    expect(order?.status).toBe("refunded_partially");
    expect(order?.operations).toEqual([
      expect.objectContaining({ kind: "refund", amount: 400, state: "completed", source: "bank" }),
    ]);
    // A change: asked about again a day after it.
    expect((await item(fx, orderId)).openShard).toMatch(/^final#\d$/);
  });
});

/** The order as the bank last confirmed it `days` ago (its lookup mark moved back too). */
async function confirmedDaysAgo(fx: Fx, orderId: string, days: number) {
  await fx.handlers().doc.send(
    new UpdateCommand({
      TableName: fx.tables().orders,
      Key: orderKey(orderId),
      UpdateExpression: "SET lastBankCheckAt = :at",
      ExpressionAttributeValues: { ":at": Date.now() - days * DAY },
    }),
  );
}

describe("an old hold while the bank cannot be asked", () => {
  const fx = useFunctions();

  it("another lookup holds the lease and nothing recent was confirmed: 503 to retry, nothing sent", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    await post(fx.sandbox(), "/_sandbox/clock", { advanceSeconds: 31 * 24 * 3600 });
    await heldFor(fx, orderId, 31);
    await confirmedDaysAgo(fx, orderId, 1);
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: orderKey(orderId),
        UpdateExpression: "SET refreshUntil = :until",
        ExpressionAttributeValues: { ":until": Date.now() + 10_000 },
      }),
    );
    const before = await stats(fx.sandbox());
    const capture = await merchantOperation(fx, orderId, "capture");
    expect(capture.status).toBe(503);
    expect(capture.body.error).toMatchObject({ code: "service_unavailable" });
    expect(capture.headers["retry-after"]).toBe("2");
    expect((await stats(fx.sandbox())).approve).toBe(before.approve);
    expect((await fx.handlers().orders.get(orderId))?.operations).toEqual([]);
  });

  it("the lookup fails: the lease is given back, so a retry asks and answers 409 invalid_state", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    await post(fx.sandbox(), "/_sandbox/clock", { advanceSeconds: 31 * 24 * 3600 });
    await heldFor(fx, orderId, 31);
    await confirmedDaysAgo(fx, orderId, 1);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 503, count: 20 });
    const first = await merchantOperation(fx, orderId, "capture");
    expect(first.status).toBeGreaterThanOrEqual(500);
    fx.sandbox().bank.faults.clear();
    const before = await stats(fx.sandbox());
    const retry = await merchantOperation(fx, orderId, "capture");
    expect(retry.status).toBe(409);
    expect(retry.body.error).toMatchObject({ code: "invalid_state" });
    expect((await stats(fx.sandbox())).approve).toBe(before.approve);
  });
});

describe("final checks that cannot succeed, and overlapping runs", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("a final order the bank does not know: asked once, then out of the index", async () => {
    const { orderId } = await paidOrder(fx);
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: orderKey(orderId),
        UpdateExpression: "SET bankOrderId = :unknown",
        ExpressionAttributeValues: { ":unknown": "00000000-0000-4000-8000-000000000000" },
      }),
    );
    const before = await receipts(fx);
    for (const hours of [25, 25.1, 25.2, 25.3]) await sweepAt(fx, hours * HOUR);
    expect(await receipts(fx)).toBe(before + 1);
    expect((await item(fx, orderId)).openShard).toBeUndefined();
  });
});

// Tables and a sandbox of their own: the sandbox's reset between tests revokes the
// functions' tokens, and a lookup refused once for that would count twice.
describe("a final check whose answer is kept aside", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("an answer kept aside (an anomaly): asked once, alarmed once, then out of the index", async () => {
    const { orderId } = await paidOrder(fx);
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: orderKey(orderId),
        UpdateExpression: "SET amount = :other",
        ExpressionAttributeValues: { ":other": 2600 },
      }),
    );
    const before = await receipts(fx);
    const anomalies = () => fx.metrics.filter((m) => m === CALLBACK_ANOMALY).length;
    const anomaliesBefore = anomalies();
    for (const hours of [25, 25.1, 25.2, 25.3]) await sweepAt(fx, hours * HOUR);
    expect(await receipts(fx)).toBe(before + 1);
    expect(anomalies()).toBe(anomaliesBefore + 1);
    expect((await item(fx, orderId)).openShard).toBeUndefined();
  });
});

describe("two runs with one copy of a due final order", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("ask the bank once", async () => {
    const { orderId } = await paidOrder(fx);
    await sweepAt(fx, HOUR); // moves it to the final part
    const copy = await fx.handlers().orders.get(orderId);
    if (!copy) throw new Error("no order");
    const deps = { ...fx.handlers().reconcileDeps, now: () => Date.now() + 25 * HOUR };
    const before = await receipts(fx);
    const first = await reconcileOrder(copy, "final", Date.now() + 30_000, deps);
    const second = await reconcileOrder(copy, "final", Date.now() + 30_000, deps);
    expect([first.outcome, second.outcome]).toEqual(["confirmed", "skipped"]);
    expect(await receipts(fx)).toBe(before + 1);
  });
});

describe("a sweep that dies between the status write and the settling write", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("the order stays in the open part: the next run settles the refund", async () => {
    const { orderId } = await paidOrder(fx);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 1000 });
    expect((await merchantOperation(fx, orderId, "refund", { amount: "10.00" })).status).toBe(202);
    const operations = fx.handlers().reconcileDeps.operations;
    const settle = operations.settle.bind(operations);
    let failOnce = true;
    operations.settle = async (...args: Parameters<typeof settle>) => {
      if (failOnce) {
        failOnce = false;
        throw new Error("the process dies here");
      }
      return settle(...args);
    };
    await sweepAt(fx, HOUR).catch(() => undefined);
    expect((await item(fx, orderId)).openShard).toMatch(/^open#\d$/);
    await sweepAt(fx, 2 * HOUR);
    const order = await fx.handlers().orders.get(orderId);
    expect(order?.operations.map((op) => op.state)).toEqual(["completed"]);
  });
});

describe("the alarm's count for a hold with a capture in flight", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("measures how long the capture has waited, not how old the order is", async () => {
    const { orderId } = await heldOrder(fx, "25.00");
    await heldFor(fx, orderId, 2);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 1000 });
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 503, count: 1000 });
    expect((await merchantOperation(fx, orderId, "capture")).status).toBe(202);
    const report = await sweepAt(fx, 10 * 60_000);
    expect(report.oldestOpenMinutes).toBeGreaterThanOrEqual(9);
    expect(report.oldestOpenMinutes).toBeLessThan(60);
  });
});

describe("overlapping sweep runs over due final orders", () => {
  const fx = useFunctions({ env: { RECONCILE_STALE_SECONDS: "0" } });

  it("each final order is asked about once", async () => {
    for (let i = 0; i < 6; i += 1) await paidOrder(fx);
    await sweepAt(fx, HOUR); // into the final part; nothing due yet
    const before = await receipts(fx);
    await Promise.all([sweepAt(fx, 25 * HOUR), sweepAt(fx, 25 * HOUR), sweepAt(fx, 25 * HOUR)]);
    expect(await receipts(fx)).toBe(before + 6);
  });
});
