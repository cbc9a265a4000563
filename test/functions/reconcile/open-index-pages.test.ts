import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { SWEEP_MARGIN_MS } from "../../../functions/reconcile/app.js";
import { OPEN_PAGE_SIZE, OpenOrderQuery } from "../../../lib/orders/reconcile/open-order-query.js";
import { MIN_ORDER_MS } from "../../../lib/orders/reconcile/sweep.js";
import { createdKeyOf, indexShardKey, orderKey } from "../../../lib/orders/storage/order-item.js";
import { post } from "../../support/bank-calls.js";
import { bankOrderIdOf, strandedOrder, useFunctions } from "../../support/functions.js";

/**
 * The sweep's walk of the index of open orders (docs/events-and-webhooks.md): every shard to its last
 * page, each shard oldest first, and its time budget: no order started with less than
 * MIN_ORDER_MS to go, and the orders it leaves for the next run still count as open.
 * Orders are put in a chosen shard and place by their index attributes.
 */

type Fx = ReturnType<typeof useFunctions>;
const useSweepFunctions = () =>
  useFunctions({
    env: { STATUS_REFRESH_SECONDS: "0", RECONCILE_STALE_SECONDS: "2", RECONCILE_CONCURRENCY: "1" },
  });
const ITEMS = [{ productId: "sku-cup", quantity: 1 }];
const minutesAgo = (m: number) =>
  `${new Date(Date.now() - m * 60_000).toISOString().slice(0, 19)}Z`;

/** Puts an order in shard `shard` of the index, created (as the order and the index say) `minutes` ago. */
async function placeInIndex(fx: Fx, orderId: string, shard: number, minutes: number) {
  const at = minutesAgo(minutes);
  await fx.handlers().doc.send(
    new UpdateCommand({
      TableName: fx.tables().orders,
      Key: orderKey(orderId),
      UpdateExpression: "SET openShard = :shard, createdAt = :at, createdKey = :key",
      ExpressionAttributeValues: {
        ":shard": indexShardKey("open", shard),
        ":at": at,
        ":key": createdKeyOf(at, orderId),
      },
    }),
  );
}

/** Copies of a stored order under new ids (a pending order in its ttl: the sweep only reads it). */
async function copiesOf(fx: Fx, orderId: string, count: number): Promise<string[]> {
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: orderKey(orderId) }));
  // No idempotency record points at a copy: it is an order of its own.
  const { idempotencyKey: _, ...stored } = Item ?? {};
  const ids = Array.from({ length: count }, () => crypto.randomUUID());
  for (const id of ids)
    await fx.handlers().doc.send(
      new PutCommand({
        TableName: fx.tables().orders,
        Item: { ...stored, ...orderKey(id), orderId: id },
      }),
    );
  return ids;
}

describe("every shard to its last page", () => {
  const fx = useSweepFunctions();
  it("a shard with more than a page is read to its end, a finished shard is not read again, and each page is oldest first", async () => {
    const original = await strandedOrder(fx, { items: ITEMS, ttlMinutes: 30 });
    const many = await copiesOf(fx, original, OPEN_PAGE_SIZE + 5);
    // Shard 0 holds two pages' worth, created a minute apart (the first copy oldest);
    // shard 1 only the original.
    for (const [i, id] of many.entries()) await placeInIndex(fx, id, 0, 200 - i);
    await placeInIndex(fx, original, 1, 10);

    expect(await fx.sweep()).toMatchObject({
      seen: OPEN_PAGE_SIZE + 6,
      checked: 0,
      closed: 0,
      complete: true,
      oldestOpenMinutes: 200,
    });

    const query = new OpenOrderQuery(fx.handlers().doc, fx.tables().orders);
    const first = await query.page("open", 0, createdKeyOf(minutesAgo(0), "~"));
    expect(first.orders.map((o) => o.orderId)).toEqual(many.slice(0, OPEN_PAGE_SIZE));
    expect(first.next).toBeDefined();
    const second = await query.page("open", 0, createdKeyOf(minutesAgo(0), "~"), first.next);
    expect(second.orders.map((o) => o.orderId)).toEqual(many.slice(OPEN_PAGE_SIZE));
  });
});

describe("a run started without time", () => {
  const fx = useSweepFunctions();
  it("with less than MIN_ORDER_MS to go reads nothing and says it is incomplete", async () => {
    const answer = await fx.postOrder({ items: ITEMS });
    await placeInIndex(fx, answer.body.orderId as string, 0, 42);
    const report = await fx.sweep(SWEEP_MARGIN_MS + MIN_ORDER_MS - 500);
    expect(report).toMatchObject({ seen: 0, checked: 0, complete: false });
  });
});

describe("a run that runs out of time", () => {
  const fx = useSweepFunctions();
  it("an order left for the next run counts as open; one the run closed does not", async () => {
    // Two orders paid at the bank whose callbacks were lost: the first (older) is
    // repaired and leaves the index; the bank's slow answer uses up the budget, so the
    // second is left for the next run.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    const paid = [];
    for (const minutes of [90, 42]) {
      const answer = await fx.postOrder({ items: ITEMS });
      const orderId = answer.body.orderId as string;
      const bankOrderId = await bankOrderIdOf(fx, orderId);
      await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
      await placeInIndex(fx, orderId, 7, minutes);
      paid.push(orderId);
    }
    const [first, second] = paid as [string, string];
    await new Promise((r) => setTimeout(r, 2100));
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", delayMs: 3000, count: 100 });
    // 5 s of budget: the first lookup (3 s) leaves less than MIN_ORDER_MS (2 s).
    const report = await fx.sweep(SWEEP_MARGIN_MS + 5000);
    expect(report).toMatchObject({
      seen: 2,
      checked: 1,
      repaired: 1,
      complete: false,
      oldestOpenMinutes: 42,
    });
    expect((await fx.handlers().orders.get(first))?.status).toBe("completed");
    expect((await fx.handlers().orders.get(second))?.status).toBe("created");
  });
});
