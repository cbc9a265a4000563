import { randomInt, randomUUID } from "node:crypto";
import { formatAmount, type Minor } from "../../lib/money.js";
import {
  CARD_METHODS,
  type CardType,
  type OrderAction,
  PARTIAL_REFUND_METHODS,
  type Payment,
  type PaymentMethod,
  type SandboxOrder,
} from "./order-model.js";

/**
 * How an order's status moves, and what the bank refuses. Each move mutates the
 * order and says whether the bank would report it with a callback.
 *
 *   created ──pay──► completed (capture automatic) | blocked (capture manual)
 *   created ──decline──► rejected ("unknown")      created ──ttl──► rejected ("expiration")
 *   blocked ──approve──► completed | partial_completed    blocked ──cancel──► rejected
 *   completed | partial_completed | refunded_partially ──refund──► refunded | refunded_partially
 */

export type Move = { ok: true; actionId?: string } | { ok: false; status: number; message: string };

const refused = (message: string, status = 400): Move => ({ ok: false, status, message });

export function isExpired(order: SandboxOrder, now: number): boolean {
  return order.status === "created" && now >= order.expiresAt;
}

export function expire(order: SandboxOrder): void {
  order.status = "rejected";
  order.rejectReason = "expiration";
}

/** What a `client_discount` campaign takes off when its card type pays (a sandbox choice). */
export const CLIENT_DISCOUNT_PERCENT = 10;

/** The card a payment uses when nobody says: a campaign's card, else a Mastercard. */
export function defaultCardType(order: SandboxOrder): CardType {
  return order.config.campaign?.card ?? "mc";
}

function simulatedPayment(method: PaymentMethod, cardType: CardType): Payment {
  const transactionId = String(randomInt(100_000_000_000, 999_999_999_999));
  const cardLike = CARD_METHODS.includes(method);
  return {
    method,
    transactionId,
    payerIdentifier: cardLike ? `548888***${String(randomInt(0, 10_000)).padStart(4, "0")}` : "S",
    paymentOption: cardLike ? "direct_debit" : null,
    cardType: cardLike ? cardType : null,
    cardExpiryDate: cardLike ? "09/29" : null,
  };
}

/**
 * A buyer's Pay or Decline on the payment page (or a wallet's payment), with a card
 * of `cardType` when the method is a card one. A `restrict` campaign refuses to pay
 * with anything but its card type; a `client_discount` one charges
 * CLIENT_DISCOUNT_PERCENT less when its card type pays.
 */
export function pay(
  order: SandboxOrder,
  outcome: "completed" | "rejected",
  method: PaymentMethod,
  now: number,
  cardType: CardType = defaultCardType(order),
  cardExpiry?: string,
): Move {
  // Expiring (and reporting it) is SandboxBank.find's job; here an expired order is only refused.
  if (isExpired(order, now)) return refused("Order has expired", 409);
  if (order.status !== "created") {
    return refused(`Order is not awaiting payment (status: ${order.status})`, 409);
  }
  if (order.paymentMethods.length > 0 && !order.paymentMethods.includes(method)) {
    return refused(`Payment method ${method} is not allowed for this order`);
  }
  const campaign = order.config.campaign;
  const cardLike = CARD_METHODS.includes(method);
  if (outcome === "completed" && campaign?.type === "restrict") {
    if (!cardLike || cardType !== campaign.card) {
      const used = cardLike ? `a ${cardType} card` : method;
      return refused(
        `This order can only be paid with a ${campaign.card} card (config.campaign restrict); got ${used}`,
      );
    }
  }
  // A saved card's charge is paid with that card: its mask, type and expiry.
  order.payment = order.parent
    ? {
        ...order.parent.card,
        transactionId: simulatedPayment("card", "mc").transactionId,
        paymentOption: order.parent.option,
      }
    : simulatedPayment(method, cardType);
  if (cardExpiry !== undefined && !order.parent) order.payment.cardExpiryDate = cardExpiry;
  if (outcome === "rejected") {
    order.status = "rejected";
    order.rejectReason = "unknown";
    return { ok: true };
  }
  order.charged = order.total;
  const amount = Math.round((order.total * CLIENT_DISCOUNT_PERCENT) / 100);
  if (
    campaign?.type === "client_discount" &&
    cardLike &&
    cardType === campaign.card &&
    amount > 0
  ) {
    order.discount = {
      amount,
      description: `Sandbox card campaign: ${CLIENT_DISCOUNT_PERCENT}% off with ${campaign.card}`,
    };
    order.charged = order.total - amount;
  }
  order.status = order.capture === "manual" ? "blocked" : "completed";
  return { ok: true };
}

function recordAction(
  order: SandboxOrder,
  action: OrderAction["action"],
  amount: Minor,
  channel: OrderAction["requestChannel"],
  now: number,
): string {
  const actionId = randomUUID();
  order.actions.push({
    actionId,
    requestChannel: channel,
    action,
    status: "completed",
    at: now,
    amount,
  });
  return actionId;
}

export function refund(
  order: SandboxOrder,
  amount: Minor | undefined,
  channel: OrderAction["requestChannel"],
  now: number,
): Move {
  if (!["completed", "partial_completed", "refunded_partially"].includes(order.status)) {
    return refused(`Refund is not allowed for an order in status ${order.status}`);
  }
  const refundable = order.charged - order.refunded;
  const value = amount ?? refundable;
  if (value <= 0) return refused("Refund amount must be greater than 0");
  if (value > refundable) {
    return refused(`Refund amount exceeds the refundable amount ${formatAmount(refundable)}`);
  }
  const partial = value < order.charged;
  if (partial && order.payment && !PARTIAL_REFUND_METHODS.includes(order.payment.method)) {
    return refused(`Partial refund is not available for payment method ${order.payment.method}`);
  }
  order.refunded += value;
  order.status = order.refunded === order.charged ? "refunded" : "refunded_partially";
  return {
    ok: true,
    actionId: recordAction(order, partial ? "partial_refund" : "refund", value, channel, now),
  };
}

export function approve(order: SandboxOrder, amount: Minor | undefined, now: number): Move {
  if (order.capture !== "manual" || order.status !== "blocked") {
    return refused(
      `Pre-authorization approval is not allowed for an order in status ${order.status}`,
    );
  }
  const value = amount ?? order.charged;
  if (value <= 0) return refused("Amount must be greater than 0");
  if (value > order.charged) {
    return refused(`Amount exceeds the authorized amount ${formatAmount(order.charged)}`);
  }
  const partial = value < order.charged;
  order.charged = value;
  order.status = partial ? "partial_completed" : "completed";
  return {
    ok: true,
    actionId: recordAction(
      order,
      partial ? "partial_authorize" : "authorize",
      value,
      "public_api",
      now,
    ),
  };
}

export function cancelAuthorization(order: SandboxOrder, now: number): Move {
  if (order.capture !== "manual" || order.status !== "blocked") {
    return refused(
      `Pre-authorization cancel is not allowed for an order in status ${order.status}`,
    );
  }
  const actionId = recordAction(order, "cancel_authorize", order.charged, "public_api", now);
  order.charged = 0;
  order.status = "rejected";
  return { ok: true, actionId };
}
