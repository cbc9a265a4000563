import { DomainError } from "../../domain-error.js";
import { askBank, type LookupDeps } from "../bank-answers/lookup.js";
import type { Order } from "../model/order.js";

/**
 * The bank releases a hold nobody captured or voided in 30 days (docs/events-and-webhooks.md), with no
 * callback. A capture or void of a hold older than 29 days (a day's margin for clocks
 * and the sweep's cadence) asks the bank first, through the one lookup path, so that a
 * released hold is refused `invalid_state` with its fresh status instead of reaching
 * the bank. A younger hold is taken as stored: the sweep asks about holds anyway.
 */

const HOLD_TRUSTED_MS = 29 * 24 * 60 * 60_000;

/** When the order became `blocked` (its history), else when it was created. */
function heldSince(order: Pick<Order, "history" | "createdAt">): number {
  const blocked = order.history.find((entry) => entry.status === "blocked");
  return Date.parse(blocked?.at ?? order.createdAt);
}

/** A lookup this recent stands for asking again. */
const FRESH_MS = 60_000;

/**
 * The order as the bank has it, for an old hold; as read otherwise. While another
 * request asks the bank about it (it holds the lookup lease), the order is read again:
 * confirmed by the bank within the last minute, it stands; otherwise the answer is a
 * `service_unavailable` to retry in a moment, never a capture sent unchecked. The bank failing to answer
 * gives the lease back and is the caller's error (a capture could not reach it either).
 */
export async function confirmOldHold(
  order: Order,
  deadline: number,
  deps: LookupDeps,
): Promise<Order> {
  const now = deps.now();
  if (order.status !== "blocked" || order.bankOrderId === null) return order;
  if (now - heldSince(order) <= HOLD_TRUSTED_MS) return order;
  if (!(await deps.orders.leases.claimLookup(order.orderId, now, 0, deadline))) {
    const again = (await deps.orders.get(order.orderId)) ?? order;
    if ((again.lastBankCheckAt ?? 0) >= deps.now() - FRESH_MS) return again;
    throw new DomainError("service_unavailable", "the order is being checked; try again", {
      retryAfterSeconds: RETRY_AFTER_S,
    });
  }
  deps.log.info("a hold older than 29 days: asking the bank before the operation");
  try {
    const applied = await askBank(order.orderId, order.bankOrderId, deadline, "merchant", deps);
    return applied.order ?? order;
  } catch (error) {
    await deps.orders.leases.releaseLookup(order.orderId).catch(() => undefined);
    throw error;
  }
}

/** Seconds a caller waits before trying again while another lookup runs. */
const RETRY_AFTER_S = 2;
