import { describe, expect, it } from "vitest";
import { LIST_SHARDS } from "../../../../lib/dynamo/tables.js";
import type { Order } from "../../../../lib/orders/model/order.js";
import { orderFromItem, shardOf, toItem } from "../../../../lib/orders/storage/order-item.js";
import { STORED_ORDER_ITEM } from "../../../support/stored-orders.js";

/**
 * The order as a DynamoDB item: its shard, the index keys it carries, the defaults of
 * fields older items lack, its operations in order.
 */

describe("an order's shard", () => {
  it("is one of the LIST_SHARDS, the same for the same id, and every shard gets orders", () => {
    const shards = new Set<number>();
    for (let i = 0; i < 400; i += 1) {
      const id = `order-${i}`;
      const shard = shardOf(id);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(LIST_SHARDS);
      expect(shardOf(id)).toBe(shard);
      shards.add(shard);
    }
    expect(shards.size).toBe(LIST_SHARDS);
  });
});

describe("an order as an item", () => {
  const order = orderFromItem(STORED_ORDER_ITEM);

  it("an open order carries the open index's key; a final one does not", () => {
    expect(toItem(order).openShard).toBe(`open#${shardOf(order.orderId)}`);
    expect(toItem({ ...order, status: "completed" }).openShard).toBeUndefined();
  });

  it("its operations are stored as a map by id", () => {
    const op = {
      operationId: "op-1",
      kind: "refund",
      state: "requested",
      amount: 500,
      requestedAt: "2026-03-01T09:40:00Z",
    } as unknown as Order["operations"][number];
    expect(toItem({ ...order, operations: [op] }).operations).toEqual({ "op-1": op });
  });
});

describe("an item as an order", () => {
  it("an item stored before a field existed reads with its default; a stored value is kept", () => {
    const old = orderFromItem(STORED_ORDER_ITEM);
    expect(old).toMatchObject({
      origin: "shop",
      version: 0,
      anomalies: [],
      history: [],
      operations: [],
      refundCommitted: 0,
      bankOrderId: null,
      cardCharge: null,
    });
    const newer = orderFromItem({
      ...STORED_ORDER_ITEM,
      origin: "merchant",
      version: 7,
      refundCommitted: 300,
    });
    expect(newer).toMatchObject({ origin: "merchant", version: 7, refundCommitted: 300 });
  });

  it("lines stored before per-item discounts read with none", () => {
    expect(orderFromItem(STORED_ORDER_ITEM).lines).toEqual([
      { ...STORED_ORDER_ITEM.lines[0], unitDiscount: 0, discountId: null },
    ]);
    const discounted = { ...STORED_ORDER_ITEM.lines[0], unitDiscount: 100, discountId: "d-1" };
    expect(orderFromItem({ ...STORED_ORDER_ITEM, lines: [discounted] }).lines).toEqual([
      discounted,
    ]);
  });

  it("operations read oldest first, by id when asked in the same second", () => {
    const op = (operationId: string, requestedAt: string) => ({
      operationId,
      kind: "refund",
      state: "requested",
      amount: 100,
      requestedAt,
    });
    const stored = {
      c: op("c", "2026-03-01T09:41:00Z"),
      b: op("b", "2026-03-01T09:40:00Z"),
      a: op("a", "2026-03-01T09:41:00Z"),
    };
    const order = orderFromItem({ ...STORED_ORDER_ITEM, operations: stored });
    expect(order.operations.map((o) => o.operationId)).toEqual(["b", "a", "c"]);
  });
});
