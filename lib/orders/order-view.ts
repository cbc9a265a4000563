import { formatAmount } from "../money.js";
import type { Order, OrderView } from "./order.js";

/** The public view of an order: the contract's fields, nothing about the buyer, nothing internal. */
export function orderView(order: Order): OrderView {
  return {
    orderId: order.orderId,
    status: order.status,
    amount: formatAmount(order.amount),
    currency: order.currency,
    paymentMethod: order.paymentMethod,
    rejectReason: order.rejectReason,
    updatedAt: order.updatedAt,
  };
}

/** ISO 8601 without milliseconds: "2026-11-26T20:15:00Z". */
export function isoSeconds(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
