import { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { EXPIRY_GRACE_MS, expirePending } from "../../../lib/orders/reconcile/expire-pending.js";
import { openShardOf, orderKey } from "../../../lib/orders/storage/order-item.js";
import { post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, strandedOrder, useFunctions } from "../../support/functions.js";
import { merchantCreate, merchantOperation } from "../../support/merchant-calls.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * The sweep (docs/events-and-webhooks.md) on a table of its own, where every order is known: what
 * its report counts (orders read, asked about, repaired, expired; the oldest open
 * order's age for the alarm), that an order it need not touch costs no write (a
 * fresh one, a pending one inside its ttl and grace, a Google Pay one that may hide
 * a charge), and the expiry write's own condition, which holds even when the order
 * it was decided on is out of date.
 */

type Fx = ReturnType<typeof useFunctions>;
/** Each describe has tables of its own: a run sees only its own orders. Logs at INFO. */
const useSweepFunctions = () =>
  useFunctions({
    env: { STATUS_REFRESH_SECONDS: "0", RECONCILE_STALE_SECONDS: "2", RECONCILE_CONCURRENCY: "1" },
    logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }),
  });
const output = captureOutput({ echo: false });
const logged = (message: string) => output.logLines().filter((l) => l.message === message);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ITEMS = [{ productId: "sku-cup", quantity: 1 }];

async function setItem(
  fx: Fx,
  orderId: string,
  expression: string,
  values: Record<string, unknown>,
) {
  await fx.handlers().doc.send(
    new UpdateCommand({
      TableName: fx.tables().orders,
      Key: orderKey(orderId),
      UpdateExpression: expression,
      ExpressionAttributeValues: values,
    }),
  );
}
async function itemOf(fx: Fx, orderId: string): Promise<Record<string, unknown>> {
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: orderKey(orderId) }));
  return Item ?? {};
}
const minutesAgo = (m: number) =>
  `${new Date(Date.now() - m * 60_000).toISOString().slice(0, 19)}Z`;

/** The orders the sweep wrote to (UpdateItem), by id. */
function writesOfSweep(fx: Fx): string[] {
  const written: string[] = [];
  fx.counters.reconcile.intercept = (command, input) => {
    const pk = (input.Key as { pk?: string } | undefined)?.pk;
    if (command === "UpdateItemCommand" && pk?.startsWith("order#")) written.push(pk.slice(6));
  };
  return written;
}

async function placed(
  fx: Fx,
  body: Record<string, unknown> = {},
): Promise<{ orderId: string; bankOrderId: string }> {
  const answer = await fx.postOrder({ items: ITEMS, ...body });
  expect(answer.status).toBe(201);
  const orderId = answer.body.orderId as string;
  return { orderId, bankOrderId: await bankOrderIdOf(fx, orderId) };
}

describe("one run over known orders", () => {
  const fx = useSweepFunctions();
  afterEach(() => {
    fx.counters.reconcile.intercept = undefined;
  });
  it("its report, the oldest open order's age, and no write to an order it need not touch", async () => {
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "callback",
      status: 503,
      count: 10_000,
    });
    const paid = await placed(fx);
    await post(fx.sandbox(), `/_sandbox/orders/${paid.bankOrderId}/pay`, { outcome: "completed" });
    const oldest = await placed(fx);
    const older = await placed(fx);
    const fresh = await placed(fx);
    const pendingInTtl = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
    const pendingInGrace = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
    const pendingExpired = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
    // Created (as far as the order says) 42 and 17 minutes ago: still open after the run.
    await setItem(fx, oldest.orderId, "SET createdAt = :at", { ":at": minutesAgo(42) });
    await setItem(fx, older.orderId, "SET createdAt = :at", { ":at": minutesAgo(17) });
    // Past its ttl by less than the grace, and by more.
    await setItem(fx, pendingInGrace, "SET expiresAt = :at", {
      ":at": minutesAgo(EXPIRY_GRACE_MS / 60_000 - 1),
    });
    await setItem(fx, pendingExpired, "SET expiresAt = :at", {
      ":at": minutesAgo(EXPIRY_GRACE_MS / 60_000 + 1),
    });
    await sleep(2100);
    // Confirmed by a poll just now: not stale.
    expect((await fx.getOrder(fresh.orderId)).body.status).toBe("created");

    const written = writesOfSweep(fx);
    const receipts = (await stats(fx.sandbox())).receipt;
    const report = await fx.sweep();
    expect(report).toEqual({
      seen: 7,
      checked: 3,
      repaired: 2,
      expired: 1,
      closed: 0,
      failed: 0,
      complete: true,
      oldestOpenMinutes: 42,
    });
    expect((await stats(fx.sandbox())).receipt - receipts).toBe(3);
    for (const untouched of [fresh.orderId, pendingInTtl, pendingInGrace])
      expect(written).not.toContain(untouched);
    expect(written).toContain(pendingExpired);
    expect((await fx.handlers().orders.get(pendingExpired))?.status).toBe("rejected");
    expect((await fx.handlers().orders.get(pendingInGrace))?.status).toBe("pending");
    expect((await fx.handlers().orders.get(paid.orderId))?.status).toBe("completed");
  });
});

describe("what a run reports of one order", () => {
  const fx = useSweepFunctions();
  afterEach(() => {
    fx.counters.reconcile.intercept = undefined;
  });
  it("a second partial refund settled at the bank, its callback lost: repaired (the status alone did not change)", async () => {
    const created = await merchantCreate(fx, {
      currency: "GEL",
      items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "30.00" }],
    });
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect((await merchantOperation(fx, orderId, "refund", { amount: "5.00" })).status).toBe(202);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("refunded_partially");
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "callback",
      status: 503,
      count: 10_000,
    });
    expect((await merchantOperation(fx, orderId, "refund", { amount: "5.00" })).status).toBe(202);
    await sleep(2100);
    const report = await fx.sweep();
    expect(report).toMatchObject({ checked: 1, repaired: 1, failed: 0 });
    const order = await fx.handlers().orders.get(orderId);
    expect(order?.operations.map((op) => op.state)).toEqual(["completed", "completed"]);
  });

  it("the bank does not answer: failed, still open (its age counts for the alarm)", async () => {
    const { orderId } = await placed(fx);
    await setItem(fx, orderId, "SET createdAt = :at", { ":at": minutesAgo(42) });
    await sleep(2100);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 503, count: 3 });
    output.clear();
    // An invocation with a minute to go: the lookup still holds its lease only for its own time.
    expect(await fx.sweep(60_000)).toMatchObject({
      seen: 1,
      checked: 1,
      failed: 1,
      repaired: 0,
      oldestOpenMinutes: 42,
    });
    expect(logged("the bank did not answer about an open order; the next run asks again")).toEqual([
      expect.objectContaining({ level: "WARN", orderId, reason: expect.any(String) }),
    ]);
    // One lookup's time at most (10 s), not the run's (50 s).
    expect(Number((await itemOf(fx, orderId)).refreshUntil)).toBeLessThanOrEqual(
      Date.now() + 10_000,
    );
    // Still in the index; the lookup's short lease keeps the next run from asking at once.
    expect(await fx.sweep()).toMatchObject({ seen: 1, checked: 0, oldestOpenMinutes: 42 });
  });
});

describe("the expiry write's own condition (the order it was decided on may be out of date)", () => {
  const fx = useSweepFunctions();
  afterEach(() => {
    fx.counters.reconcile.intercept = undefined;
  });
  const stranded = (body: Record<string, unknown> = {}) =>
    strandedOrder(fx, { items: ITEMS, ttlMinutes: 30, ...body });
  const expire = (orderId: string, now = Date.now()) =>
    expirePending(fx.handlers().doc, fx.tables().orders, orderId, now);

  it("an order inside its ttl and grace is not expired, one past both is", async () => {
    const orderId = await stranded();
    await setItem(fx, orderId, "SET expiresAt = :at", {
      ":at": minutesAgo(EXPIRY_GRACE_MS / 60_000 - 1),
    });
    expect(await expire(orderId)).toBeNull();
    expect(await expire(orderId, Date.now() + 2 * 60_000)).toMatchObject({
      status: "rejected",
      rejectReason: "expiration",
    });
  });

  it("a Google Pay order, or a subscription card's charge, whose create-order may have charged: never; one the bank refused: yes", async () => {
    const googlePay = await stranded();
    await setItem(fx, googlePay, "SET expiresAt = :at, walletType = :g", {
      ":at": minutesAgo(60),
      ":g": "google_pay",
    });
    expect(await expire(googlePay)).toBeNull();
    await setItem(fx, googlePay, "SET bankError = :e", { ":e": "rejected: 400 invalid token" });
    expect(await expire(googlePay)).toMatchObject({ status: "rejected" });

    const subscription = await stranded();
    await setItem(fx, subscription, "SET expiresAt = :at, cardCharge = :c", {
      ":at": minutesAgo(60),
      ":c": { type: "subscription", cardId: "7c9e6679-7425-40de-944b-e07fc1f90ae7" },
    });
    expect(await expire(subscription)).toBeNull();
    await setItem(fx, subscription, "SET bankError = :e", { ":e": "timeout" });
    expect(await expire(subscription)).toBeNull();

    const recurrent = await stranded();
    await setItem(fx, recurrent, "SET expiresAt = :at, cardCharge = :c", {
      ":at": minutesAgo(60),
      ":c": { type: "recurrent", cardId: "7c9e6679-7425-40de-944b-e07fc1f90ae7" },
    });
    expect(await expire(recurrent)).toMatchObject({ status: "rejected" });
  });
});

/** Makes a run's only orders the ones given; each describe below has tables of its own. */
describe("what a run counts as still open, for the alarm: not an order it closed or expired", () => {
  const fx = useSweepFunctions();
  it("a final order found in the open part (stored before versions) moves to the final part; an expired one is not open; a pending one in its ttl is", async () => {
    const paid = await placed(fx);
    await post(fx.sandbox(), `/_sandbox/orders/${paid.bankOrderId}/pay`, { outcome: "completed" });
    // The index lags: the final order is still in it, and its item has no version yet.
    await setItem(fx, paid.orderId, "SET openShard = :open, createdAt = :at REMOVE version", {
      ":open": openShardOf(paid.orderId),
      ":at": minutesAgo(90),
    });
    const expired = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
    await setItem(fx, expired, "SET expiresAt = :at, createdAt = :created", {
      ":at": minutesAgo(60),
      ":created": minutesAgo(80),
    });
    const inTtl = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
    await setItem(fx, inTtl, "SET createdAt = :at", { ":at": minutesAgo(50) });
    await sleep(2100);
    output.clear();

    expect(await fx.sweep()).toMatchObject({
      seen: 3,
      checked: 0,
      closed: 1,
      expired: 1,
      complete: true,
      oldestOpenMinutes: 50,
    });
    expect((await itemOf(fx, paid.orderId)).openShard).toMatch(/^final#\d$/);
    expect(logged("pending order without a bank order expired")).toEqual([
      expect.objectContaining({ level: "INFO", orderId: expired }),
    ]);
  });
});

describe("what a run counts as still open: an expiry the stored order refuses", () => {
  const fx = useSweepFunctions();
  it("a create-order retry holds the bank call's lease: not expired, still open", async () => {
    const orderId = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
    await setItem(
      fx,
      orderId,
      "SET expiresAt = :at, createdAt = :created, bankCallUntil = :until",
      {
        ":at": minutesAgo(60),
        ":created": minutesAgo(42),
        ":until": Date.now() + 60_000,
      },
    );
    await sleep(2100);
    expect(await fx.sweep()).toMatchObject({ seen: 1, expired: 0, oldestOpenMinutes: 42 });
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("pending");
  });
});

describe("what a run counts as still open: an order the bank confirmed just now", () => {
  const fx = useSweepFunctions();
  it("is not asked about again, and is open; one created just now is not read", async () => {
    const { orderId } = await placed(fx);
    await sleep(2100);
    // A poll asks the bank (refresh interval 0): confirmed now, so not stale for the run.
    expect((await fx.getOrder(orderId)).body.status).toBe("created");
    await setItem(fx, orderId, "SET createdAt = :at", { ":at": minutesAgo(42) });
    // Created just now: younger than the stale interval, so not even read.
    expect((await fx.postOrder({ items: ITEMS })).status).toBe(201);
    const receipts = (await stats(fx.sandbox())).receipt;
    expect(await fx.sweep()).toMatchObject({ seen: 1, checked: 0, oldestOpenMinutes: 42 });
    expect((await stats(fx.sandbox())).receipt).toBe(receipts);
  });
});

describe("orders whose create-order may have charged (Google Pay, a subscription card's charge)", () => {
  const fx = useSweepFunctions();
  afterEach(() => {
    fx.counters.reconcile.intercept = undefined;
  });
  it("are never written by the sweep, however long past their ttl; one the bank refused is expired", async () => {
    const stranded = async (set: string, values: Record<string, unknown>) => {
      const orderId = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
      await setItem(fx, orderId, `SET expiresAt = :at, ${set}`, {
        ":at": minutesAgo(60),
        ...values,
      });
      return orderId;
    };
    const card = { type: "subscription", cardId: "7c9e6679-7425-40de-944b-e07fc1f90ae7" };
    const googlePay = await stranded("walletType = :g, bankError = :e", {
      ":g": "google_pay",
      ":e": "timeout",
    });
    const subscription = await stranded("cardCharge = :c", { ":c": card });
    const refused = await stranded("walletType = :g, bankError = :e", {
      ":g": "google_pay",
      ":e": "rejected: 400 invalid token",
    });
    await sleep(2100);
    const written = writesOfSweep(fx);
    expect(await fx.sweep()).toMatchObject({ seen: 3, expired: 1, checked: 0 });
    expect(written).toEqual([refused]);
    expect((await fx.handlers().orders.get(googlePay))?.status).toBe("pending");
    expect((await fx.handlers().orders.get(subscription))?.status).toBe("pending");
    expect((await fx.handlers().orders.get(refused))?.status).toBe("rejected");
  });
});
