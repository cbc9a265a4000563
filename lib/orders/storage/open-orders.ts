import type { Order } from "../model/order.js";
import { isFinal } from "../model/status-rank.js";

/**
 * Nothing open is forgotten, and nothing final is taken on trust (docs/reconciliation.md). The
 * sweep finds the orders it must ask the bank about in one sparse index (`openShard`,
 * kept true by `open-index.ts`), in two parts:
 *
 * - **open** (`open#n`): the bank may still move the order on its own (a status that
 *   is not final: `pending`, `created`, `processing`, `auth_requested`,
 *   `refund_requested`), a merchant operation waits for the bank's word (`requested`),
 *   or the order is `blocked`: a hold the bank releases after 30 days, asked about
 *   every `blockedCheckHours`;
 * - **final** (`final#n`): a final order with a bank order, asked about once more a
 *   day after its last change (a Business Manager refund whose callback was lost is
 *   found), then out of the index until it changes again.
 *
 * Only orders that wait for the bank count for the alarm on open orders (OpenOrderAge):
 * a hold waits for the merchant, for days.
 */

/** A final order is asked about once more this long after its last change. */
export const FINAL_CHECK_MS = 24 * 60 * 60_000;

export type IndexPart = "open" | "final";

export function hasOperationInFlight(order: Pick<Order, "operations">): boolean {
  return order.operations.some((op) => op.state === "requested");
}

/** The bank may still move it on its own, or it owes us the word on an operation. */
export function awaitsBank(order: Pick<Order, "status" | "operations">): boolean {
  return !isFinal(order.status) || hasOperationInFlight(order);
}

/**
 * Since when an order has waited for the bank (ISO 8601), for the alarm: a status the
 * bank may still move waits since the order was created; a hold or a final order only
 * since its oldest operation in flight was asked for.
 */
export function awaitingBankSince(
  order: Pick<Order, "status" | "operations" | "createdAt">,
): string {
  if (!isFinal(order.status)) return order.createdAt;
  const asked = order.operations
    .filter((op) => op.state === "requested")
    .map((op) => op.requestedAt);
  return asked.sort()[0] ?? order.createdAt;
}

/** Asked about by the sweep at its cadence: it awaits the bank, or it is a hold. */
export function isOpen(order: Pick<Order, "status" | "operations">): boolean {
  return awaitsBank(order) || order.status === "blocked";
}

/** The part of the index an order belongs in after a change; null: none (no bank order to ask about). */
export function indexPartOf(
  order: Pick<Order, "status" | "operations" | "bankOrderId">,
): IndexPart | null {
  if (isOpen(order)) return "open";
  return order.bankOrderId === null ? null : "final";
}

/** Whether a final order's day-later check is due at `now`. */
export function finalCheckDue(order: Pick<Order, "updatedAt">, now: number): boolean {
  return Date.parse(order.updatedAt) <= now - FINAL_CHECK_MS;
}
