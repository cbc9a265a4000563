import { formatAmount } from "../../money.js";
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
