import { describe, expect, it } from "vitest";
import {
  ORDERS_PAID,
  ORDERS_REFUNDED,
  ORDERS_REJECTED,
  PAID_AMOUNT,
} from "../../../../lib/metrics.js";
import { countChange } from "../../../../lib/orders/model/order-metrics.js";
import { orderFromItem } from "../../../../lib/orders/storage/order-item.js";
import { STORED_ORDER_ITEM } from "../../../support/stored-orders.js";

/** What each status change of an order counts as a metric (the dashboard's day of payments). */

describe("what a status change counts", () => {
  type Call = [string, number | undefined, unknown];
  const counted = (fields: Record<string, unknown>): Call[] => {
    const calls: Call[] = [];
    countChange(orderFromItem({ ...STORED_ORDER_ITEM, ...fields }), (name, value, options) =>
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
