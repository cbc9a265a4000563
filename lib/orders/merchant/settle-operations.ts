import { createHash } from "node:crypto";
import type { BankAction } from "../../bog/payment-details.js";
import type { Minor } from "../../money.js";
import type { Operation, Order } from "../order.js";

/**
 * An operation is `requested` until the bank's word settles it. The bank's word is
 * the order's status and its refunded total (`refund_amount`), which genuine bank
 * bodies always carry, even when `actions` is null:
 *
 * - refunds: the refunded total covers our requested refunds oldest first; what it
 *   covers beyond them was refunded elsewhere (the bank's Business Manager) and
 *   becomes an operation of its own (`source: "callback"`);
 * - a capture is settled when a `blocked` order becomes `completed` or
 *   `partial_completed` (a capture nobody here asked for is the Business Manager's);
 * - a void is settled when a `blocked` order becomes `rejected`;
 * - any of ours the bank accepted and then recorded `rejected` in `actions[]` (found by
 *   the action id its answer gave) is `rejected`, and frees what it held.
 *
 * Pure: the caller writes the result conditional on the order's version.
 */

export interface Settlement {
  operations: Operation[];
  capturedAmount: Minor | null;
  /** What is refunded or being refunded: the bank's refunded total plus our refunds in flight. */
  refundCommitted: Minor;
  changed: boolean;
}

const settledId = (orderId: string, what: string) => {
  const hex = createHash("sha256").update(`${orderId}\n${what}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** An operation made outside this API (the bank's Business Manager), known by its effect. */
function madeElsewhere(
  orderId: string,
  kind: Operation["kind"],
  amount: Minor | null,
  what: string,
  at: string,
): Operation {
  return {
    // From what it did, so that the same news settled twice is the same operation.
    operationId: settledId(orderId, what),
    kind,
    amount,
    state: "completed",
    source: "callback",
    requestedAt: at,
    updatedAt: at,
    bankActionId: null,
    note: null,
    bankMessage: null,
  };
}

export function settleOperations(
  order: Order,
  at: string,
  actions: readonly BankAction[] = [],
): Settlement {
  const operations = order.operations.map((op) => ({ ...op }));
  let changed = false;
  const settle = (op: Operation, state: Operation["state"]) => {
    op.state = state;
    op.updatedAt = at;
    changed = true;
  };

  // The bank's own record of our operations: one it rejected after accepting it is over.
  const rejected = new Set(
    actions.filter((a) => a.status === "rejected").map((a) => a.actionId.toLowerCase()),
  );
  for (const op of operations) {
    if (op.state === "requested" && op.bankActionId && rejected.has(op.bankActionId.toLowerCase()))
      settle(op, "rejected");
  }

  // Refunds, by the bank's refunded total.
  const refunded = order.refundAmount ?? 0;
  const settledRefunds = operations
    .filter((op) => op.kind === "refund" && op.state === "completed")
    .reduce((sum, op) => sum + (op.amount ?? 0), 0);
  let uncovered = refunded - settledRefunds;
  for (const op of operations) {
    if (op.kind !== "refund" || op.state !== "requested" || op.amount === null) continue;
    if (op.amount > uncovered) break;
    settle(op, "completed");
    uncovered -= op.amount;
  }
  const inFlight = operations.filter((op) => op.kind === "refund" && op.state === "requested");
  if (uncovered > 0 && inFlight.length === 0) {
    operations.push(
      madeElsewhere(order.orderId, "refund", uncovered, `refund up to ${refunded}`, at),
    );
    changed = true;
  }

  // Capture and void, by the status a blocked order moved to.
  const decided = order.history.some((h) => h.status === "blocked");
  let capturedAmount = order.capturedAmount;
  if (decided && (order.status === "completed" || order.status === "partial_completed")) {
    const capture = operations.find((op) => op.kind === "capture" && op.state !== "rejected");
    if (capture?.state === "requested") settle(capture, "completed");
    if (!capture) {
      const amount = order.chargedAmount ?? (order.status === "completed" ? order.amount : null);
      operations.push(madeElsewhere(order.orderId, "capture", amount, "capture", at));
      changed = true;
    }
    const amount =
      capture?.amount ??
      order.chargedAmount ??
      (order.status === "completed" ? order.amount : null);
    if (capturedAmount === null && amount !== null) {
      capturedAmount = amount;
      changed = true;
    }
  }
  if (decided && order.status === "rejected") {
    const voided = operations.find((op) => op.kind === "void" && op.state === "requested");
    if (voided) settle(voided, "completed");
    // Released (a void elsewhere, or the 30 days ran out): a capture asked for did not happen.
    const capture = operations.find((op) => op.kind === "capture" && op.state === "requested");
    if (capture) settle(capture, "rejected");
  }
  if (decided && (order.status === "completed" || order.status === "partial_completed")) {
    // Captured (here or in Business Manager): a void asked for did not happen.
    const voided = operations.find((op) => op.kind === "void" && op.state === "requested");
    if (voided) settle(voided, "rejected");
  }

  // Refunds still on their way (only refunds are settled above, and before this was taken).
  const pending = inFlight.reduce((sum, op) => sum + (op.amount ?? 0), 0);
  const refundCommitted = refunded + pending;
  if (refundCommitted !== order.refundCommitted) changed = true;
  return { operations, capturedAmount, refundCommitted, changed };
}
