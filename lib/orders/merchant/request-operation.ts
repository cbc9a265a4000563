import type { BogClient } from "../../bog/client.js";
import { DomainError, orderNotFound } from "../../domain-error.js";
import { BankRejectedError } from "../../errors.js";
import { isoSeconds } from "../../iso-time.js";
import type { Log } from "../../log.js";
import { formatAmount, type Minor } from "../../money.js";
import { askBank, type LookupDeps } from "../bank-answers/lookup.js";
import type { Operation, Order } from "../model/order.js";
import type { OperationStore, ReserveGuard } from "../storage/operation-store.js";
import type { OrderStore } from "../storage/order-store.js";
import { confirmOldHold } from "./old-hold.js";
import type { OperationRequest } from "./operation-request.js";

/**
 * POST /merchant/orders/{orderId}/refund | capture | void (docs/merchant-api.md).
 *
 * - refund: in `completed`, `partial_completed`, `refunded_partially`; at most what
 *   was paid minus what is refunded or being refunded (concurrent requests included,
 *   enforced by the reservation's conditional write); partial only for card, Google
 *   Pay and Apple Pay; no amount = all that is left.
 * - capture (the bank's approve): only `blocked`; at most the authorized amount: what the
 *   bank blocked (less than the order's amount after a bank discount), else the amount.
 * - void (the bank's cancel): only `blocked`.
 * - a capture or void of a hold older than 29 days asks the bank first (`old-hold.ts`).
 *
 * Idempotent end to end: the merchant's key names one operation, whose id is the
 * bank's Idempotency-Key. A retry of a request the bank never answered asks the
 * bank again with that same key. The operation stays `requested` until the bank's
 * word (callback or lookup) settles it; the bank refusing it is `bank_rejected`
 * with the bank's message, and what it reserved is given back.
 *
 * Round trips on the normal path: one read, one transaction, one bank call, one
 * update (the bank's action id).
 */

export interface OperationDeps extends LookupDeps {
  orders: OrderStore;
  operations: OperationStore;
  bank: BogClient;
  log: Log;
  now: () => number;
  newId: () => string;
}

export interface OperationAnswer {
  operationId: string;
  kind: Operation["kind"];
  amount: string | null;
  state: Operation["state"];
}

const REFUNDABLE = ["completed", "partial_completed", "refunded_partially"] as const;
const PARTIAL_REFUND_METHODS = new Set(["card", "google_pay", "apple_pay"]);

const answer = (op: Operation): OperationAnswer => ({
  operationId: op.operationId,
  kind: op.kind,
  amount: op.amount === null ? null : formatAmount(op.amount),
  state: op.state,
});

const invalidState = (order: Order, kind: string) =>
  new DomainError("invalid_state", `a ${kind} is not possible while the order is ${order.status}`);

/**
 * What was paid: the captured amount of a pre-authorization, else what the bank
 * charged (less than the amount when it applied a discount), else the order's amount.
 */
const paid = (order: Order): Minor => order.capturedAmount ?? order.chargedAmount ?? order.amount;

/** What a hold may capture: what the bank reported blocked, else the order's amount. */
const authorized = (order: Order): Minor => order.authorizedAmount ?? order.amount;

/** What is refunded or being refunded, as the store counts it. */
const committed = (order: Order): Minor => Math.max(order.refundCommitted, order.refundAmount ?? 0);

/** The checks, on the order as read; the reservation's condition repeats the racy ones. */
function plan(
  order: Order,
  request: OperationRequest,
): { amount: Minor | null; guard: ReserveGuard } {
  if (request.kind === "refund") {
    if (!(REFUNDABLE as readonly string[]).includes(order.status))
      throw invalidState(order, "refund");
    const left = paid(order) - committed(order);
    const amount = request.amount ?? left;
    if (amount <= 0 || amount > left) {
      throw new DomainError(
        "amount_exceeds_balance",
        `at most ${formatAmount(Math.max(0, left))} ${order.currency} is left to refund`,
      );
    }
    if (amount < paid(order) && !PARTIAL_REFUND_METHODS.has(order.paymentMethod ?? "")) {
      throw new DomainError(
        "partial_not_allowed",
        `the bank refunds ${order.paymentMethod ?? "this payment method"} only in full`,
      );
    }
    return { amount, guard: { statuses: REFUNDABLE, refundLimit: paid(order) - amount } };
  }
  if (order.status !== "blocked") throw invalidState(order, request.kind);
  if (request.kind === "capture") {
    const amount = request.amount ?? authorized(order);
    if (amount > authorized(order)) {
      throw new DomainError(
        "amount_exceeds_balance",
        `at most ${formatAmount(authorized(order))} ${order.currency} is authorized`,
      );
    }
    return { amount, guard: { statuses: ["blocked"], decision: true } };
  }
  return { amount: null, guard: { statuses: ["blocked"], decision: true } };
}

async function callBank(order: Order, op: Operation, deadline: number, bank: BogClient) {
  const bankOrderId = order.bankOrderId as string;
  const options = { idempotencyKey: op.operationId, deadline };
  const note = op.note ?? undefined;
  if (op.kind === "refund") {
    // A refund of everything paid is sent without an amount: the only refund some methods allow.
    const full = op.amount === paid(order) && committed(order) === 0;
    return bank.refund(bankOrderId, {
      ...options,
      amount: full ? undefined : (op.amount ?? undefined),
    });
  }
  if (op.kind === "capture") {
    const full = op.amount === authorized(order);
    return bank.approvePreauthorization(bankOrderId, {
      ...options,
      amount: full ? undefined : (op.amount ?? undefined),
      description: note,
    });
  }
  return bank.cancelPreauthorization(bankOrderId, { ...options, description: note });
}

export async function requestOperation(
  orderId: string,
  request: OperationRequest,
  idempotencyKey: string,
  deadline: number,
  deps: OperationDeps,
): Promise<OperationAnswer> {
  const { orders, operations, log } = deps;
  const stored = await orders.get(orderId);
  if (!stored) throw orderNotFound();
  log.appendKeys({ orderId, operation: request.kind });
  const order = request.kind === "refund" ? stored : await confirmOldHold(stored, deadline, deps);
  const at = isoSeconds(deps.now());
  const planned = plan(order, request);
  const op: Operation = {
    operationId: deps.newId(),
    kind: request.kind,
    amount: planned.amount,
    state: "requested",
    source: "merchant",
    requestedAt: at,
    updatedAt: at,
    bankActionId: null,
    note: request.note,
    bankMessage: null,
    // This request sends it to the bank; a concurrent retry with the same key does not.
    bankCallUntil: deadline,
  };
  const reserved = await operations.reserve(orderId, op, planned.guard, {
    key: idempotencyKey,
    requestHash: `${orderId}:${request.requestHash}`,
  });
  let current = op;
  let onOrder = order;
  if (reserved.outcome === "replay") {
    if (reserved.requestHash !== `${orderId}:${request.requestHash}`) {
      throw new DomainError(
        "idempotency_conflict",
        "this Idempotency-Key was used with a different request",
      );
    }
    const now = await orders.get(orderId);
    const earlier = now?.operations.find((o) => o.operationId === reserved.operationId);
    if (!now || !earlier) throw new Error(`operation ${reserved.operationId} is missing`);
    if (earlier.state !== "requested" || earlier.bankAccepted) return answer(earlier);
    // Never two calls to the bank for one operation: only the claim's holder sends it.
    if (
      !(await operations.claimOperationCall(orderId, earlier.operationId, deps.now(), deadline))
    ) {
      return answer(earlier);
    }
    log.info("idempotent replay: asking the bank again with the same key");
    current = earlier;
    onOrder = now;
  } else if (reserved.outcome === "refused") {
    // Another request got there first: explain with the order as it is now.
    if (!reserved.order) throw orderNotFound();
    plan(reserved.order, request);
    throw new DomainError("invalid_state", "another operation changed the order; look at it again");
  }
  try {
    const accepted = await callBank(onOrder, current, deadline, deps.bank);
    await operations.accepted(orderId, current.operationId, accepted.actionId);
    log.info("operation requested at the bank", { operationId: current.operationId });
    return answer(current);
  } catch (error) {
    if (!(error instanceof BankRejectedError)) {
      // No answer from the bank: a retry with the same key may send it again.
      await operations.releaseOperationCall(orderId, current.operationId).catch(() => undefined);
      throw error;
    }
    await operations.rejected(orderId, current, error.bankMessage, isoSeconds(deps.now()));
    log.info("the bank refused the operation", { operationId: current.operationId });
    const fresh = await askAfterRefusal(onOrder, deadline, deps);
    throw new DomainError(
      "bank_rejected",
      error.bankMessage,
      fresh && fresh.status !== onOrder.status
        ? { details: [{ path: "status", message: `the bank has this order ${fresh.status}` }] }
        : {},
    );
  }
}

/**
 * The bank refused an operation: often because the order is not what we hold (a refund
 * made in the bank's Business Manager whose callback was lost, a hold it released). Ask
 * it at once, through the one lookup path, so the order and the answer say what is so.
 * Best effort: another request asking now, or the bank failing, leaves the order as it is.
 */
async function askAfterRefusal(
  order: Order,
  deadline: number,
  deps: OperationDeps,
): Promise<Order | undefined> {
  if (order.bankOrderId === null) return undefined;
  try {
    if (!(await deps.orders.leases.claimLookup(order.orderId, deps.now(), 0, deadline)))
      return undefined;
    const applied = await askBank(order.orderId, order.bankOrderId, deadline, "merchant", deps);
    return applied.order;
  } catch (error) {
    deps.log.warn("could not ask the bank after its refusal", { reason: String(error) });
    return undefined;
  }
}
