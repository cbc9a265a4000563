import { isoSeconds } from "../../iso-time.js";
import type { Order } from "../model/order.js";
import {
  awaitingBankSince,
  awaitsBank,
  FINAL_CHECK_MS,
  type IndexPart,
} from "../storage/open-orders.js";
import { createdKeyOf } from "../storage/order-item.js";
import { OPEN_SHARDS, type OpenOrderQuery, type PageKey } from "./open-order-query.js";
import {
  type ReconcileOrderDeps,
  type ReconcileOutcome,
  reconcileOrder,
} from "./reconcile-order.js";

/**
 * One run of the reconciliation sweep (docs/reconciliation.md): walks the index of orders to ask
 * about, both parts (open, and final orders due their day-later check), every shard,
 * oldest first, and reconciles each order (`reconcile-order.ts`) with
 * at most `concurrency` bank lookups in flight. It stops starting new orders when
 * the time budget runs out and leaves the rest to the next run, which finds them
 * again (an order it did reconcile is either out of the index or freshly confirmed,
 * and skipped without a bank call).
 */

export interface SweepDeps extends ReconcileOrderDeps {
  open: OpenOrderQuery;
  concurrency: number;
}

export interface SweepReport {
  /** Orders read from the index. */
  seen: number;
  /** Orders the bank was asked about. */
  checked: number;
  /** Orders the run changed: the bank's answer applied, or expired. */
  repaired: number;
  expired: number;
  /** Orders that left the index without a bank call (no longer open). */
  closed: number;
  /** Bank lookups that got no answer. */
  failed: number;
  /** Whether the run reached the end of every shard within its budget. */
  complete: boolean;
  /** Minutes the order waiting longest for the bank has waited (`awaitingBankSince`); 0 when none does. */
  oldestOpenMinutes: number;
}

/** No new order is started with less than this left of the budget (a lookup and its writes). */
export const MIN_ORDER_MS = 2000;

interface Shard {
  part: IndexPart;
  shard: number;
  next: PageKey | undefined;
  done: boolean;
}

export async function sweep(deadline: number, deps: SweepDeps): Promise<SweepReport> {
  const started = deps.now();
  // Only orders created by the stale cutoff (to the second) can be stale, and only
  // final orders created a day ago can be due; the index is sorted by creation. "~"
  // sorts after every order id.
  const before: Record<IndexPart, string> = {
    open: createdKeyOf(isoSeconds(started - Math.min(deps.staleMs, deps.blockedCheckMs)), "~"),
    final: createdKeyOf(isoSeconds(started - FINAL_CHECK_MS), "~"),
  };
  const counts: Record<ReconcileOutcome, number> = {
    closed: 0,
    expired: 0,
    repaired: 0,
    confirmed: 0,
    failed: 0,
    skipped: 0,
  };
  let seen = 0;
  let oldestOpen: string | undefined;
  const stillOpen = (order: Order) => {
    const since = awaitingBankSince(order);
    // Equivalent mutant, not disabled (it shares its line with tested ones): `<` → `<=`: on equal times `<=` assigns the same value again
    if (oldestOpen === undefined || since < oldestOpen) oldestOpen = since;
  };
  // The budget is the invocation's, on the real clock (as the bank calls' deadlines are).
  // Equivalent mutant, not disabled (it shares its line with tested ones): `>=` → `>`: differs only with exactly MIN_ORDER_MS left, to the millisecond: timing, which tests do not assert
  const timeLeft = () => deadline - Date.now() >= MIN_ORDER_MS;

  const parts: IndexPart[] = ["open", "final"];
  const shards: Shard[] = parts.flatMap((part) =>
    OPEN_SHARDS.map((shard) => ({ part, shard, next: undefined, done: false })),
  );
  let outOfTime = false;
  while (!outOfTime && shards.some((s) => !s.done)) {
    if (!timeLeft()) {
      // Stryker disable next-line BooleanLiteral: the loop runs only while a shard is unfinished, so after the break complete is false either way; nothing else reads outOfTime
      outOfTime = true;
      break;
    }
    // One page of every unfinished shard, read at once; the final part only once the
    // open part is done (when the bank is slow, what waits for it comes first).
    const openDone = shards.every((s) => s.part !== "open" || s.done);
    const pages = await Promise.all(
      shards
        .filter((s) => !s.done && (s.part === "open" || openDone))
        .map(async (s) => {
          const page = await deps.open.page(s.part, s.shard, before[s.part], s.next);
          s.next = page.next;
          s.done = page.next === undefined;
          return page.orders.map((order) => ({ order, from: s.part }));
        }),
    );
    const work = pages.flat();
    seen += work.length;
    let index = 0;
    const worker = async () => {
      for (;;) {
        const item = work[index];
        if (item === undefined) return;
        if (!timeLeft()) {
          outOfTime = true;
          return;
        }
        index += 1;
        const { outcome, open } = await reconcileOrder(item.order, item.from, deadline, deps);
        counts[outcome] += 1;
        if (open) stillOpen(item.order);
      }
    };
    await Promise.all(Array.from({ length: deps.concurrency }, worker));
    // Those left for the next run wait for the bank, as far as anyone knows.
    for (const { order } of work.slice(index)) if (awaitsBank(order)) stillOpen(order);
  }

  const checked = counts.repaired + counts.confirmed + counts.failed;
  return {
    seen,
    checked,
    repaired: counts.repaired + counts.expired,
    expired: counts.expired,
    closed: counts.closed,
    failed: counts.failed,
    // Stryker disable next-line MethodExpression: outOfTime is false only when every shard is done; with it true, complete is false whatever follows the &&
    complete: !outOfTime && shards.every((s) => s.done),
    oldestOpenMinutes:
      oldestOpen === undefined
        ? 0
        : Math.max(0, Math.floor((started - Date.parse(oldestOpen)) / 60_000)),
  };
}
