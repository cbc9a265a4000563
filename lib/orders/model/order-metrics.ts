import {
  type MetricFn,
  ORDERS_PAID,
  ORDERS_REFUNDED,
  ORDERS_REJECTED,
  PAID_AMOUNT,
} from "../../metrics.js";
import { amountToNumber } from "../../money.js";
import type { Order } from "./order.js";

/**
 * The business metrics of one committed change of an order (a day of payments at a
 * glance on the dashboard): paid (count and amount by currency), rejected, refunded.
 * Called once per applied write, which appended exactly one history entry, so the
 * entry before it is the status the change came from.
 */

const PAID = new Set(["completed", "partial_completed"]);

export function countChange(order: Order, metric: MetricFn): void {
  const previous = order.history.at(-2)?.status ?? null;
  const dimensions = { Currency: order.currency };
  switch (order.status) {
    case "completed":
    case "partial_completed": {
      if (previous !== null && PAID.has(previous)) return;
      // What the bank says it took (its transfer amount), known in this very write; the
      // captured amount is settled one write later, and the order's amount is only asked.
      const paid =
        order.chargedAmount ??
        order.capturedAmount ??
        (order.status === "completed" ? order.amount : null);
      metric(ORDERS_PAID, 1, { dimensions });
      if (paid !== null) metric(PAID_AMOUNT, amountToNumber(paid), { unit: "None", dimensions });
      return;
    }
    case "rejected":
      metric(ORDERS_REJECTED, 1, { dimensions });
      return;
    case "refunded":
    case "refunded_partially":
      metric(ORDERS_REFUNDED, 1, { dimensions });
      return;
    // Stryker disable next-line ConditionalExpression: the switch is the function's last statement: falling out of it returns the same
    default:
      return;
  }
}
