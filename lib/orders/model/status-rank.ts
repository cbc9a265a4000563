import type { BankStatus } from "../../bog/statuses.js";

/**
 * Statuses only move forward. Each has a rank; an update is applied only when it
 * ranks higher than what is stored (or is the same status with more refunded,
 * a further partial refund). Duplicate, late and out-of-order news therefore
 * change nothing. `pending` is ours: stored, not yet confirmed by the bank.
 *
 *   pending < created < processing < completed | rejected < refund_requested
 *           < refunded_partially < refunded
 *   auth_requested < blocked < partial_completed | completed | rejected
 */

export type OrderStatus = "pending" | BankStatus;

const RANK: Record<OrderStatus, number> = {
  pending: 0,
  created: 1,
  processing: 2,
  auth_requested: 2,
  blocked: 3,
  completed: 4,
  rejected: 4,
  partial_completed: 4,
  refund_requested: 5,
  refunded_partially: 6,
  refunded: 7,
};

export function statusRank(status: OrderStatus): number {
  return RANK[status];
}

/**
 * Statuses the bank may still change on its own (payment under way, expiry, a
 * requested refund). The others wait for nobody or for the merchant.
 */
const IN_FLIGHT: ReadonlySet<OrderStatus> = new Set([
  "pending",
  "created",
  "processing",
  "auth_requested",
  "refund_requested",
]);

export function isFinal(status: OrderStatus): boolean {
  return !IN_FLIGHT.has(status);
}
