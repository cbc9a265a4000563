import { BankError, BankRejectedError } from "../../errors.js";
import { askBank, type LookupDeps } from "../bank-answers/lookup.js";
import type { Order } from "../model/order.js";
import {
  awaitsBank,
  FINAL_CHECK_MS,
  finalCheckDue,
  hasOperationInFlight,
  type IndexPart,
  indexPartOf,
} from "../storage/open-orders.js";
import { LOOKUP_LEASE_MS } from "../storage/order-leases.js";
import { expirePending, isExpiredWithoutBankOrder } from "./expire-pending.js";

/**
 * What the sweep does with one order from the index (`open-orders.ts`; a hint: the
 * index lags the table, and every write below is conditional on the stored item).
 *
 * - Read from the open part but no longer open: it moves to the final part (or leaves
 *   the index, with no bank order to ask about); the bank is not asked now.
 * - Final, less than a day after its last change: left for later.
 * - `pending` without a bank order, past its ttl: expired (`expire-pending.ts`).
 *   Without a bank order and not yet expired: nothing to ask the bank about.
 * - Confirmed by the bank (a callback, a poll, a sweep) within `staleMs` (a hold that
 *   waits for the merchant: within `blockedCheckMs`): left alone.
 * - Otherwise the bank is asked through the lease that polls and unsigned callbacks
 *   use (one lookup per order at a time), and its answer is applied by the callback's
 *   rules (`lookup.ts`), operations settled included.
 */

export type ReconcileOutcome =
  /** Left the index: it was no longer open. */
  | "closed"
  /** A pending order without a bank order, rejected as expired. */
  | "expired"
  /** Asked the bank, whose answer changed the order. */
  | "repaired"
  /** Asked the bank, which confirmed what was stored. */
  | "confirmed"
  /** Asked the bank, which did not answer; the next run asks again. */
  | "failed"
  /** Not asked: confirmed recently, no bank order yet, or another request holds the lease. */
  | "skipped";

export interface ReconcileOrderDeps extends LookupDeps {
  orders: LookupDeps["orders"];
  doc: Parameters<typeof expirePending>[0];
  tableName: string;
  staleMs: number;
  /** A hold (`blocked`, nothing in flight) is asked about this often (blockedCheckHours). */
  blockedCheckMs: number;
}

export interface Reconciled {
  outcome: ReconcileOutcome;
  /** Whether the order still waits for the bank afterwards, as far as this run knows (the alarm's count). */
  open: boolean;
}

const settledOperations = (order: Order) =>
  order.operations.filter((op) => op.state !== "requested").length;

/** One lookup's time at most (the bank client's attempts and retries fit in it). */
const LOOKUP_MAX_MS = 10_000;

export async function reconcileOrder(
  order: Order,
  from: IndexPart,
  deadline: number,
  deps: ReconcileOrderDeps,
): Promise<Reconciled> {
  const now = deps.now();
  const log = deps.log;
  const part = indexPartOf(order);
  if (part !== from) {
    await deps.orders.reindexIfUnchanged(order);
    return { outcome: "closed", open: false };
  }
  if (part === "final" && !finalCheckDue(order, now)) return { outcome: "skipped", open: false };
  if (order.bankOrderId === null) {
    if (!isExpiredWithoutBankOrder(order, now)) return { outcome: "skipped", open: true };
    const expired = await expirePending(deps.doc, deps.tableName, order.orderId, now);
    if (!expired) return { outcome: "skipped", open: true };
    log.info("pending order without a bank order expired", { orderId: order.orderId });
    return { outcome: "expired", open: false };
  }
  const holdOnly = order.status === "blocked" && !hasOperationInFlight(order);
  const staleMs = holdOnly ? deps.blockedCheckMs : deps.staleMs;
  const confirmedAt = order.lastBankCheckAt ?? Date.parse(order.createdAt);
  if (part === "open" && confirmedAt >= now - staleMs)
    return { outcome: "skipped", open: awaitsBank(order) };
  // Held only for this lookup (and a short minimum), not for the stale interval nor
  // the whole run: a poll after a failed lookup may ask again soon. A final order's
  // check is claimed only while nobody has made it since it fell due (two runs with
  // the same copy of the order ask once).
  const lookupDeadline = Math.min(deadline, now + LOOKUP_MAX_MS);
  const refreshMs =
    part === "open" ? staleMs : now - (Date.parse(order.updatedAt) + FINAL_CHECK_MS);
  if (
    !(await deps.orders.leases.claimLookup(
      order.orderId,
      now,
      refreshMs,
      lookupDeadline,
      LOOKUP_LEASE_MS,
    ))
  )
    return { outcome: "skipped", open: awaitsBank(order) };
  try {
    const applied = await askBank(
      order.orderId,
      order.bankOrderId,
      lookupDeadline,
      "reconcile",
      deps,
    );
    const after = applied.order ?? order;
    if (part === "final" && applied.outcome !== "stored" && applied.outcome !== "unchanged")
      await doneWith(order.orderId, applied.outcome, deps);
    const changed =
      after.status !== order.status || settledOperations(after) !== settledOperations(order);
    if (changed)
      log.info("status reconciled with the bank", { from: order.status, to: after.status });
    return { outcome: changed ? "repaired" : "confirmed", open: awaitsBank(after) };
  } catch (error) {
    if (!(error instanceof BankError)) throw error;
    // The bank refusing to say (an order it does not know) will not change by asking
    // again each run; a final order is done with, an open one waits for the alarm.
    if (part === "final" && error instanceof BankRejectedError)
      await doneWith(order.orderId, "refused", deps);
    log.warn("the bank did not answer about an open order; the next run asks again", {
      orderId: order.orderId,
      reason: error.message,
    });
    return { outcome: "failed", open: awaitsBank(order) };
  }
}

/**
 * A final order whose check cannot succeed (the answer kept aside as an anomaly, a
 * status we do not know, the bank not knowing the order) leaves the index: what was
 * found is on the order for an operator, and asking every run would only repeat it.
 */
async function doneWith(orderId: string, why: string, deps: ReconcileOrderDeps): Promise<void> {
  const current = await deps.orders.get(orderId);
  if (current && indexPartOf(current) === "final") {
    await deps.orders.reindexIfUnchanged(current, true);
    deps.log.warn("a final order's check found what it cannot apply; left for an operator", {
      orderId,
      why,
    });
  }
}
