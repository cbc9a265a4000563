import { describe, expect, it } from "vitest";
import { LIST_SHARDS } from "../../lib/dynamo/tables.js";
import { ORDERS_PAID, ORDERS_REFUNDED, ORDERS_REJECTED, PAID_AMOUNT } from "../../lib/metrics.js";
import { campaignOption, loanOption } from "../../lib/orders/checkout/order-options.js";
import type { Order } from "../../lib/orders/model/order.js";
import { countChange } from "../../lib/orders/model/order-metrics.js";
import { orderFromItem, shardOf, toItem } from "../../lib/orders/storage/order-item.js";

/**
 * The order as a DynamoDB item (its shard, the index keys it carries, the defaults of
 * fields older items lack, its operations in order), what each status change counts
 * as a metric, and the create-order options' refusals in words.
 */

const ITEM = {
  pk: "order#0e5d2b7a-8d1b-4b55-9a47-3f1f5d4c6a01",
  orderId: "0e5d2b7a-8d1b-4b55-9a47-3f1f5d4c6a01",
  status: "created",
  statusRank: 1,
  currency: "GEL",
  amount: 2500,
  delivery: 0,
  capture: "automatic",
  requestHash: "h",
  createdAt: "2026-03-01T09:30:00Z",
  updatedAt: "2026-03-01T09:30:00Z",
  expiresAt: "2026-03-01T10:00:00Z",
  lines: [{ productId: "sku-cup", description: "Cup", quantity: 2, unitPrice: 1250 }],
};

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
  const order = orderFromItem(ITEM);

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
    const old = orderFromItem(ITEM);
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
    const newer = orderFromItem({ ...ITEM, origin: "merchant", version: 7, refundCommitted: 300 });
    expect(newer).toMatchObject({ origin: "merchant", version: 7, refundCommitted: 300 });
  });

  it("lines stored before per-item discounts read with none", () => {
    expect(orderFromItem(ITEM).lines).toEqual([
      { ...ITEM.lines[0], unitDiscount: 0, discountId: null },
    ]);
    const discounted = { ...ITEM.lines[0], unitDiscount: 100, discountId: "d-1" };
    expect(orderFromItem({ ...ITEM, lines: [discounted] }).lines).toEqual([discounted]);
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
    const order = orderFromItem({ ...ITEM, operations: stored });
    expect(order.operations.map((o) => o.operationId)).toEqual(["b", "a", "c"]);
  });
});

describe("what a status change counts", () => {
  type Call = [string, number | undefined, unknown];
  const counted = (fields: Record<string, unknown>): Call[] => {
    const calls: Call[] = [];
    countChange(orderFromItem({ ...ITEM, ...fields }), (name, value, options) =>
      calls.push([name, value, options]),
    );
    return calls;
  };
  const dimensions = { Currency: "GEL" };
  const paidHistory = (status: string) => [
    { at: "2026-03-01T09:30:00Z", status: "created", source: "callback" },
    { at: "2026-03-01T09:35:00Z", status, source: "callback" },
  ];

  it("completed: one paid order, the amount the bank charged; else the order's", () => {
    expect(
      counted({ status: "completed", history: paidHistory("completed"), chargedAmount: 2400 }),
    ).toEqual([
      [ORDERS_PAID, 1, { dimensions }],
      [PAID_AMOUNT, 24, { unit: "None", dimensions }],
    ]);
    expect(counted({ status: "completed", history: paidHistory("completed") })).toEqual([
      [ORDERS_PAID, 1, { dimensions }],
      [PAID_AMOUNT, 25, { unit: "None", dimensions }],
    ]);
  });

  it("partially captured: the captured amount once known; no amount before", () => {
    const history = paidHistory("partial_completed");
    expect(counted({ status: "partial_completed", history, capturedAmount: 1000 })).toEqual([
      [ORDERS_PAID, 1, { dimensions }],
      [PAID_AMOUNT, 10, { unit: "None", dimensions }],
    ]);
    expect(counted({ status: "partial_completed", history })).toEqual([
      [ORDERS_PAID, 1, { dimensions }],
    ]);
  });

  it("a paid order paid again (a repeated word) is not counted twice", () => {
    const history = [...paidHistory("completed"), { ...paidHistory("completed")[1] }];
    expect(counted({ status: "completed", history })).toEqual([]);
  });

  it("rejected and refunded are counted; other statuses are not", () => {
    expect(counted({ status: "rejected" })).toEqual([[ORDERS_REJECTED, 1, { dimensions }]]);
    expect(counted({ status: "refunded" })).toEqual([[ORDERS_REFUNDED, 1, { dimensions }]]);
    expect(counted({ status: "refunded_partially" })).toEqual([
      [ORDERS_REFUNDED, 1, { dimensions }],
    ]);
    expect(counted({ status: "created" })).toEqual([]);
    expect(counted({ status: "blocked" })).toEqual([]);
  });
});

describe("create-order options refused in words", () => {
  it("installments without exactly one loan method", () => {
    expect(() => loanOption({ code: "standard", months: 12 }, ["card", "bog_loan"])).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'loan goes with exactly one payment method, "bog_loan" or "bnpl"',
        details: [
          { path: "paymentMethods", message: 'must be ["bog_loan"] or ["bnpl"] with loan' },
        ],
      }),
    );
    expect(loanOption({ code: "standard", months: 12 }, ["bnpl"])).toEqual({
      type: "standard",
      month: 12,
    });
  });

  it("a card campaign where no card can pay", () => {
    expect(() => campaignOption({ card: "visa", type: "restrict" }, ["bog_p2p"])).toThrow(
      expect.objectContaining({
        status: 400,
        message: "a card campaign needs card among paymentMethods",
        details: [{ path: "campaign", message: 'paymentMethods must include "card"' }],
      }),
    );
  });
});
