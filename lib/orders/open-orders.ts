import type { Order } from "./order.js";
import { isFinal } from "./status-order.js";

/**
 * Nothing open is forgotten (DESIGN). An order is **open** while someone still has
 * to ask the bank about it:
 *
 * - its status is not final (`status-order.ts`: `pending`, `created`, `processing`,
 *   `auth_requested`, `refund_requested`): the bank may still move it on its own; or
 * - a merchant operation (refund, capture, void) is `requested`: the bank's word
 *   that settles it may be a callback that never comes.
 *
 * Final, and so never asked about by the sweep: `completed`, `rejected`, `refunded`,
 * `refunded_partially`, `partial_completed`, and `blocked`. A `blocked` order (an
 * authorization) waits for the merchant's capture or void, for days, and the bank
 * does not move it until then: asking every few minutes would be noise, and an
 * alarm on open orders would fire for every pre-authorization. The capture or void
 * the merchant asks for makes the order open until the bank's word settles it.
 *
 * While open, the item carries `openShard` (`order-item.ts`), the key of the sparse
 * index `byOpen`; `open-index.ts` keeps it true.
 */

export function hasOperationInFlight(order: Pick<Order, "operations">): boolean {
  return order.operations.some((op) => op.state === "requested");
}

export function isOpen(order: Pick<Order, "status" | "operations">): boolean {
  return !isFinal(order.status) || hasOperationInFlight(order);
}
