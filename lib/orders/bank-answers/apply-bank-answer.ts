import type { PaymentDetails } from "../../bog/payment-details.js";
import type { CardStore } from "../../cards/card-store.js";
import { recordSavedCard } from "../../cards/record-saved-card.js";
import { isoSeconds } from "../../iso-time.js";
import type { Log } from "../../log.js";
import { CALLBACK_ANOMALY, type MetricFn } from "../../metrics.js";
import type { Order } from "../model/order.js";
import { countChange } from "../model/order-metrics.js";
import type { OperationStore } from "../storage/operation-store.js";
import type { OrderStore } from "../storage/order-store.js";
import { type AnomalyReason, checkMessage } from "./callback-trust.js";
import { settleOperations } from "./settle-operations.js";

/**
 * What the bank says about one of our orders (a signed callback, or its answer to
 * our own lookup), applied by one set of rules wherever it comes from: checked
 * against the order (docs/api.md), stored only if it moves the order forward, kept
 * aside as an anomaly if it does not match, and a status we do not know kept as
 * written without moving the order.
 */

export type BankAnswerOutcome =
  | "stored"
  | "unchanged"
  | "unknownOrder"
  | "unknownStatus"
  | "anomaly"
  /** Signed news for an order with no bank order on file: only a lookup can confirm it. */
  | "needsLookup";

export interface BankAnswerDeps {
  orders: OrderStore;
  /** Where a payment's saved card is recorded when it completes. */
  cards: CardStore;
  operations: OperationStore;
  log: Log;
  metric: MetricFn;
  now: () => number;
}

export interface BankAnswerOptions {
  /** The merchant's id when known (compared with the message's `client.id`). */
  merchantId: string | null;
  /** The message is our own lookup of a bank order id not yet on file: it may be adopted. */
  adopt?: boolean;
  source: "callback" | "bank";
  /** Who asked, for the order's history (default: the source). */
  historySource?: "callback" | "bank" | "merchant" | "reconcile";
}

export async function applyBankAnswer(
  orderId: string,
  details: PaymentDetails,
  options: BankAnswerOptions,
  deps: BankAnswerDeps,
): Promise<{ outcome: BankAnswerOutcome; order?: Order }> {
  const { orders, log } = deps;
  const checked = checkMessage(details, options.merchantId);
  if (!checked.ok) {
    await keepAside(orderId, details, checked.reason, options.source, deps);
    return { outcome: "anomaly" };
  }
  if (details.knownStatus === null) {
    log.warn("the bank reports a status we do not know; kept aside", { status: details.status });
    await orders.recordUnknownStatus(
      orderId,
      details.bankOrderId,
      details.status,
      isoSeconds(deps.now()),
    );
    return { outcome: "unknownStatus" };
  }
  const result = await orders.applyBankState(
    orderId,
    {
      bankOrderId: details.bankOrderId,
      status: details.knownStatus,
      paymentMethod: details.paymentMethod,
      rejectReason: details.rejectReason,
      refundAmount: details.refundAmount,
      currency: checked.currency,
      requestAmount: checked.requestAmount,
      transferAmount: details.transferAmount,
      discount: details.discount,
    },
    deps.now(),
    isoSeconds(deps.now()),
    { adopt: options.adopt === true, source: options.historySource ?? options.source },
  );
  if (result.outcome === "applied") countChange(result.order, deps.metric);
  if (result.outcome === "applied" || result.outcome === "unchanged") {
    const settled = await settleAfter(result.order, details.actions, deps);
    await recordSavedCard(result.order, details, deps);
    return { outcome: result.outcome === "applied" ? "stored" : "unchanged", order: settled };
  }
  switch (result.outcome) {
    case "mismatch":
      await keepAside(orderId, details, result.reason, options.source, deps);
      return { outcome: "anomaly", order: result.order };
    case "unknownOrder":
      return { outcome: "unknownOrder" };
    default:
      return { outcome: result.outcome, order: result.order };
  }
}

/** Tries a few times: a concurrent change (a new operation) makes it compute again. */
const SETTLE_ATTEMPTS = 3;

/**
 * Settles the operations the bank's word has decided (`settle-operations.ts`), if any;
 * the settling write puts the order in the part of the index it now belongs in.
 */
async function settleAfter(
  order: Order,
  actions: PaymentDetails["actions"],
  deps: BankAnswerDeps,
): Promise<Order> {
  let current: Order | undefined = order;
  for (let attempt = 0; current && attempt < SETTLE_ATTEMPTS; attempt += 1) {
    const at = isoSeconds(deps.now());
    const settled = settleOperations(current, at, actions);
    if (!settled.changed) return current;
    if (await deps.operations.settle(current, settled, at)) {
      // The order as the settling write left it (`changed` is the settlement's, not the order's).
      const { changed: _, ...written } = settled;
      return {
        ...current,
        ...written,
        version: current.version + 1,
        updatedAt: at,
      };
    }
    current = await deps.orders.get(current.orderId);
  }
  deps.log.warn("operations not settled: the order kept changing; the next bank word will");
  return current ?? order;
}

/** Not applied: kept on the order, logged as a security warning, counted for the alarm. */
export async function keepAside(
  orderId: string,
  details: Pick<PaymentDetails, "bankOrderId" | "status">,
  reason: AnomalyReason,
  source: "callback" | "bank",
  deps: BankAnswerDeps,
): Promise<void> {
  deps.log.warn("security: a bank message does not match the order it names; not applied", {
    reason,
    source,
    bankOrderId: details.bankOrderId,
    status: details.status,
  });
  deps.metric(CALLBACK_ANOMALY);
  await deps.orders.recordAnomaly(orderId, {
    at: isoSeconds(deps.now()),
    reason,
    bankOrderId: details.bankOrderId,
    status: details.status,
    source,
  });
}
