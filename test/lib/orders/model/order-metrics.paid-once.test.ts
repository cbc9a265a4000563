import { describe, expect, it } from "vitest";
import { ORDERS_PAID, PAID_AMOUNT } from "../../../../lib/metrics.js";
import type { Order } from "../../../../lib/orders/model/order.js";
import { countChange } from "../../../../lib/orders/model/order-metrics.js";

/** Paid is counted once per order, whatever news about it comes after. */

describe("paid is counted once per order", () => {
  const order = (status: string, history: string[]) =>
    ({
      orderId: "o-1",
      status,
      currency: "GEL",
      amount: 2500,
      capturedAmount: null,
      chargedAmount: 2500,
      history: history.map((s, i) => ({
        at: `2026-01-01T00:00:0${i}Z`,
        status: s,
        source: "callback",
      })),
    }) as unknown as Order;

  const counted = (o: Order) => {
    const names: string[] = [];
    countChange(o, (name) => names.push(name));
    return names;
  };

  it("the change to completed counts one payment and its amount", () => {
    expect(counted(order("completed", ["pending", "created", "completed"]))).toEqual([
      ORDERS_PAID,
      PAID_AMOUNT,
    ]);
  });

  it("a later word of the bank on a paid order (same status, more refunded) is no second payment", () => {
    expect(counted(order("completed", ["pending", "created", "completed", "completed"]))).toEqual(
      [],
    );
    expect(
      counted(order("partial_completed", ["blocked", "partial_completed", "partial_completed"])),
    ).toEqual([]);
  });
});
