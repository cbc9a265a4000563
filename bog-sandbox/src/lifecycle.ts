import { randomInt, randomUUID } from "node:crypto";
import { type Minor, twoPlaces } from "./amounts.js";
import {
  type ActionKind,
  type ActionStatus,
  CARD_TOO,
  type CardType,
  HOLD_DAYS,
  MANUAL_CAPTURE_METHODS,
  PAYMENT_METHODS,
  type PaymentMethod,
  type RequestChannel,
  type TransferMethod,
} from "./document.js";
import { PARTIAL_REFUND_METHODS, type Payment, type SandboxOrder } from "./order-model.js";
import { RESPONSE_CODES, type ResponseCode } from "./readings.js";

/**
 * How an order's status moves, and what the bank refuses. Each move mutates the
 * order and says whether the bank reports it by callback (the document: a callback
 * when a payment completes, fails, or is refunded in full or in part).
 *
 *   created ──pay──► completed (capture automatic) | blocked (capture manual)
 *   created ──processing / auth_requested──► (a later pay decides it)
 *   created ──decline──► rejected ("unknown")      created ──ttl──► rejected ("expiration")
 *   blocked ──approve──► completed | partial_completed    blocked ──cancel──► rejected
 *   blocked ──30 days──► rejected ("expiration"; our reading, no callback)
 *   completed | partial_completed | refunded_partially ──refund──► refunded | refunded_partially
 *
 * An operation the bank accepts and then rejects leaves the status where it was and
 * only records the action `rejected` in `actions[]` (no callback).
 */

export type Move =
  | { ok: true; actionId?: string; notify: boolean }
  | { ok: false; status: number; message: string };

const refused = (message: string, status = 400): Move => ({ ok: false, status, message });
const moved = (notify = true, actionId?: string): Move =>
  actionId === undefined ? { ok: true, notify } : { ok: true, notify, actionId };

/** Statuses in which the customer's payment is still to be decided. */
const AWAITING = ["created", "processing", "auth_requested"];

export function isExpired(order: SandboxOrder, now: number): boolean {
  return order.status === "created" && now >= order.expiresAt;
}

export function expire(order: SandboxOrder): void {
  order.status = "rejected";
  order.rejectReason = "expiration";
}

const HOLD_MS = HOLD_DAYS * 24 * 60 * 60 * 1000;

/** A hold nobody approved or cancelled within 30 days of the payment. */
export function isHoldLapsed(order: SandboxOrder, now: number): boolean {
  return order.status === "blocked" && order.blockedAt !== null && now >= order.blockedAt + HOLD_MS;
}

/**
 * The bank unblocks the amount (the document: "automatically unblocked and … available
 * again for the customer"). Our reading: `rejected` with reject_reason `expiration`, the
 * release recorded as a `cancel_authorize` action from the bank's own system (`support`),
 * nothing charged; no callback, since the document promises none.
 */
export function releaseHold(order: SandboxOrder, now: number): void {
  recordAction(order, "cancel_authorize", order.charged, "support", now, "completed");
  order.charged = 0;
  order.status = "rejected";
  order.rejectReason = "expiration";
}

/** What a `client_discount` campaign takes off when its card type pays (a sandbox choice). */
export const CLIENT_DISCOUNT_PERCENT = 10;

/** The card a payment uses when nobody says. */
export interface CardChoice {
  type: CardType;
  /** A SOLO card of the bank (a Mastercard here): what a `solo` campaign concerns. */
  solo: boolean;
  expiry?: string;
}

/** A campaign's card when it names one (solo is a Mastercard), else a Mastercard. */
export function defaultCard(order: SandboxOrder): CardChoice {
  const card = order.config.campaign?.card;
  if (card === "visa") return { type: "visa", solo: false };
  return { type: "mc", solo: card === "solo" };
}

/** The methods the payment page offers: all of them when the order names none. */
export function offeredMethods(order: SandboxOrder): PaymentMethod[] {
  const named = order.paymentMethods.length > 0 ? order.paymentMethods : [...PAYMENT_METHODS];
  const offered = new Set<PaymentMethod>();
  for (const method of named) {
    offered.add(method);
    const alsoCard = CARD_TOO[method];
    if (alsoCard) offered.add(alsoCard);
  }
  // Capture manual: only the methods a hold can be made with (the order was refused otherwise).
  return [...offered];
}

/** A made-up payer of the sandbox: "Sandbox Customer", account "Sandbox Customer". */
const CUSTOMER = "Sandbox Customer";

function payerIdentifier(method: TransferMethod): string {
  if (MANUAL_CAPTURE_METHODS.includes(method)) {
    // card / google_pay: the card's masked PAN; apple_pay: a device-specific number.
    return `548888***${String(randomInt(0, 10_000)).padStart(4, "0")}`;
  }
  // bog_p2p / bog_loyalty: the account name; bog_loan / bnpl: the first letter of a name.
  return method === "bog_p2p" || method === "bog_loyalty" ? CUSTOMER : CUSTOMER.slice(0, 1);
}

function simulatedPayment(method: TransferMethod, card: CardChoice): Payment {
  const cardLike = MANUAL_CAPTURE_METHODS.includes(method);
  return {
    method,
    transactionId: String(randomInt(100_000_000_000, 999_999_999_999)),
    payerIdentifier: payerIdentifier(method),
    paymentOption: cardLike ? "direct_debit" : null,
    cardType: cardLike ? card.type : null,
    solo: cardLike && card.solo,
    cardExpiryDate: cardLike ? (card.expiry ?? "09/29") : null,
  };
}

export type PayOutcome = "completed" | "rejected" | "processing" | "auth_requested";

function campaignMatches(order: SandboxOrder, payment: Payment): boolean {
  const card = order.config.campaign?.card;
  if (!card || !MANUAL_CAPTURE_METHODS.includes(payment.method)) return false;
  return card === "solo" ? payment.solo : payment.cardType === card;
}

/**
 * A buyer's Pay or Decline on the payment page (or a wallet's payment), with `card`
 * when the method is a card one. `processing` and `auth_requested` leave the order in
 * that status until a later pay decides it. A `restrict` campaign refuses to pay with
 * anything but its card; a `client_discount` one charges CLIENT_DISCOUNT_PERCENT less
 * when its card pays.
 */
export function pay(
  order: SandboxOrder,
  outcome: PayOutcome,
  method: PaymentMethod,
  now: number,
  card: CardChoice = defaultCard(order),
): Move {
  // Expiring (and reporting it) is SandboxBank.find's job; here an expired order is only refused.
  if (isExpired(order, now)) return refused("Order has expired", 409);
  if (!AWAITING.includes(order.status)) {
    return refused(`Order is not awaiting payment (status: ${order.status})`, 409);
  }
  if (!offeredMethods(order).includes(method)) {
    return refused(`Payment method ${method} is not allowed for this order`);
  }
  if (outcome === "auth_requested" && order.capture !== "manual") {
    return refused("auth_requested is a pre-authorization's status (capture manual orders only)");
  }
  if (outcome === "processing" && order.capture === "manual") {
    return refused("processing is an automatic payment's status (a hold is auth_requested)");
  }
  if (method === "gift_card" && outcome !== "rejected") {
    return refused(
      "gift_card payments are not emulated: the document lists no transfer_method for them",
    );
  }
  if (outcome === "processing" || outcome === "auth_requested") {
    order.status = outcome;
    return moved(false);
  }
  if (method === "gift_card") {
    order.status = "rejected";
    order.rejectReason = "unknown";
    return moved();
  }
  // A saved card's charge is paid with that card: its mask, type and expiry.
  const payment: Payment = order.parent
    ? {
        ...order.parent.card,
        transactionId: simulatedPayment("card", card).transactionId,
        paymentOption: order.parent.option,
      }
    : simulatedPayment(method, card);
  const campaign = order.config.campaign;
  if (outcome === "completed" && campaign?.type === "restrict" && campaign.card) {
    if (!campaignMatches(order, payment)) {
      const used = MANUAL_CAPTURE_METHODS.includes(method) ? `a ${payment.cardType} card` : method;
      return refused(
        `This order can only be paid with a ${campaign.card} card (config.campaign restrict); got ${used}`,
      );
    }
  }
  order.payment = payment;
  if (outcome === "rejected") {
    order.status = "rejected";
    order.rejectReason = "unknown";
    order.responseCode = "199" satisfies ResponseCode;
    return moved();
  }
  order.charged = order.total;
  const amount = Math.round((order.total * CLIENT_DISCOUNT_PERCENT) / 100);
  if (campaign?.type === "client_discount" && campaignMatches(order, payment) && amount > 0) {
    order.discount = {
      amount,
      description: `Sandbox card campaign: ${CLIENT_DISCOUNT_PERCENT}% off with ${campaign.card}`,
    };
    order.charged = order.total - amount;
  }
  if (order.capture === "manual") {
    order.status = "blocked";
    order.blockedAt = now;
    order.responseCode = "200";
  } else {
    order.status = "completed";
    order.responseCode = "100";
  }
  return moved();
}

/** The description the document pairs with a response code, when the sandbox knows it. */
export function responseDescription(code: string | null): string | null {
  if (code === null) return null;
  return code in RESPONSE_CODES ? RESPONSE_CODES[code as ResponseCode] : null;
}

function recordAction(
  order: SandboxOrder,
  action: ActionKind,
  amount: Minor,
  channel: RequestChannel,
  now: number,
  status: ActionStatus,
): string {
  const actionId = randomUUID();
  order.actions.push({ actionId, requestChannel: channel, action, status, at: now, amount });
  return actionId;
}

/** Whether the bank carries an accepted operation out, or records it rejected. */
export type OperationOutcome = "completed" | "rejected";

export function refund(
  order: SandboxOrder,
  amount: Minor | undefined,
  channel: RequestChannel,
  now: number,
  outcome: OperationOutcome = "completed",
): Move {
  if (!["completed", "partial_completed", "refunded_partially"].includes(order.status)) {
    return refused(`Refund is not allowed for an order in status ${order.status}`);
  }
  const refundable = order.charged - order.refunded;
  const value = amount ?? refundable;
  if (value <= 0) return refused("Refund amount must be greater than 0");
  if (value > refundable) {
    return refused(`Refund amount exceeds the refundable amount ${twoPlaces(refundable)}`);
  }
  const partial = value < order.charged;
  if (partial && order.payment && !PARTIAL_REFUND_METHODS.includes(order.payment.method)) {
    return refused(`Partial refund is not available for payment method ${order.payment.method}`);
  }
  const kind = partial ? "partial_refund" : "refund";
  if (outcome === "rejected") {
    return moved(false, recordAction(order, kind, value, channel, now, "rejected"));
  }
  order.refunded += value;
  order.status = order.refunded === order.charged ? "refunded" : "refunded_partially";
  return moved(true, recordAction(order, kind, value, channel, now, "completed"));
}

function holdOnly(order: SandboxOrder, what: string): Move | undefined {
  if (order.capture !== "manual" || order.status !== "blocked") {
    return refused(
      `Pre-authorization ${what} is not allowed for an order in status ${order.status}`,
    );
  }
  return undefined;
}

export function approve(
  order: SandboxOrder,
  amount: Minor | undefined,
  now: number,
  outcome: OperationOutcome = "completed",
): Move {
  const refusal = holdOnly(order, "approval");
  if (refusal) return refusal;
  const value = amount ?? order.charged;
  if (value <= 0) return refused("Amount must be greater than 0");
  if (value > order.charged) {
    return refused(`Amount exceeds the authorized amount ${twoPlaces(order.charged)}`);
  }
  const partial = value < order.charged;
  const kind = partial ? "partial_authorize" : "authorize";
  if (outcome === "rejected") {
    return moved(false, recordAction(order, kind, value, "public_api", now, "rejected"));
  }
  order.charged = value;
  order.status = partial ? "partial_completed" : "completed";
  return moved(true, recordAction(order, kind, value, "public_api", now, "completed"));
}

export function cancelAuthorization(
  order: SandboxOrder,
  now: number,
  outcome: OperationOutcome = "completed",
): Move {
  const refusal = holdOnly(order, "cancel");
  if (refusal) return refusal;
  if (outcome === "rejected") {
    return moved(
      false,
      recordAction(order, "cancel_authorize", order.charged, "public_api", now, "rejected"),
    );
  }
  const actionId = recordAction(
    order,
    "cancel_authorize",
    order.charged,
    "public_api",
    now,
    "completed",
  );
  order.charged = 0;
  order.status = "rejected";
  return moved(true, actionId);
}
