import { createHash } from "node:crypto";
import type { BankAction } from "../../bog/payment-details.js";
import type { Minor } from "../../money.js";
import type { Operation, Order } from "../model/order.js";

/**
 * An operation is `requested` until the bank's word settles it (docs/merchant-api.md). The
 * bank's word is, first, its own record of each operation, `actions[]`:
 *
 * - one of ours (found by the action id the bank's answer gave) that the bank records
 *   `completed` or `rejected` is so; a rejected one frees what it held;
 * - each completed action from another channel (`request_channel` other than
 *   `public_api`: the Business Manager, the bank's own systems) is an operation of its
 *   own, keyed by its action id, with its own amount (`source: "bank"`), however late
 *   its news comes, and never merged into ours.
 *
 * Genuine bank bodies may carry `actions: null`, so the order's status and refunded
 * total (`refund_amount`), which they always carry, decide the rest:
 *
 * - refunds: the refunded total covers our requested refunds oldest first; what it
 *   covers beyond every refund known is an operation made elsewhere, for the rest;
 * - a capture is settled when a `blocked` order becomes `completed` or
 *   `partial_completed` (a capture nobody here asked for is the bank's);
 * - a void is settled when a `blocked` order becomes `rejected`.
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

/** An operation made outside this API, known by its effect or by the bank's action. */
function madeElsewhere(
  orderId: string,
  kind: Operation["kind"],
  amount: Minor | null,
  what: string,
  at: string,
  bankActionId: string | null = null,
): Operation {
  return {
    // From what it did, so that the same news settled twice is the same operation.
    operationId: settledId(orderId, what),
    kind,
    amount,
    state: "completed",
    source: "bank",
    requestedAt: at,
    updatedAt: at,
    bankActionId,
    note: null,
    bankMessage: null,
  };
}

/** The operation an action of the bank is (its `action` vocabulary, docs/merchant-api.md). */
const KIND_OF_ACTION: Readonly<Record<string, Operation["kind"]>> = {
  refund: "refund",
  partial_refund: "refund",
  authorize: "capture",
  partial_authorize: "capture",
  cancel_authorize: "void",
};

/** The channel of operations asked for through the online payments API (ours). */
const OUR_CHANNEL = "public_api";

const sameId = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

export function settleOperations(
  order: Order,
  at: string,
  actions: readonly BankAction[] = [],
): Settlement {
  let operations = order.operations.map((op) => ({ ...op }));
  let changed = false;
  const settle = (op: Operation, state: Operation["state"]) => {
    op.state = state;
    op.updatedAt = at;
    changed = true;
  };

  // The bank's own record of our operations has the last word, over a guess that news
  // without `actions[]` made (a refund taken as covered by the refunded total, a capture
  // taken as done by the status).
  for (const action of actions) {
    if (action.status !== "rejected" && action.status !== "completed") continue;
    const ours = operations.find(
      (op) => op.source === "merchant" && sameId(op.bankActionId, action.actionId),
    );
    if (ours && ours.state !== action.status) settle(ours, action.status);
  }

  // The bank's operations from other channels, each its own, by its action id. What
  // news without `actions[]` inferred of a kind (no action id) gives way to them.
  const elsewhere = actions.flatMap((action) => {
    const kind = action.action === null ? undefined : KIND_OF_ACTION[action.action];
    if (kind === undefined || action.status !== "completed") return [];
    if (action.requestChannel === OUR_CHANNEL || action.amount === null) return [];
    return [{ kind, amount: action.amount, actionId: action.actionId }];
  });
  const knownKinds = new Set(elsewhere.map((a) => a.kind));
  const inferred = (op: Operation) =>
    op.source === "bank" && op.bankActionId === null && knownKinds.has(op.kind);
  if (operations.some(inferred)) {
    operations = operations.filter((op) => !inferred(op));
    changed = true;
  }
  for (const action of elsewhere) {
    if (operations.some((op) => sameId(op.bankActionId, action.actionId))) continue;
    const what = `action ${action.actionId.toLowerCase()}`;
    operations.push(
      madeElsewhere(order.orderId, action.kind, action.amount, what, at, action.actionId),
    );
    changed = true;
  }

  const refunded = order.refundAmount ?? 0;
  const completedRefunds = () =>
    operations
      .filter((op) => op.kind === "refund" && op.state === "completed")
      .reduce((sum, op) => sum + (op.amount ?? 0), 0);

  // Refunds, by the bank's refunded total.
  let uncovered = refunded - completedRefunds();
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
    // What the bank charged is what was captured, whoever asked; without its word, the
    // capture's own amount (or the order's, when completed in full).
    const amount =
      order.chargedAmount ??
      capturedAmount ??
      capture?.amount ??
      (order.status === "completed" ? order.amount : null);
    if (amount !== capturedAmount) {
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
