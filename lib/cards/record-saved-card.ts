import type { PaymentDetails } from "../bog/payment-details.js";
import { isoSeconds } from "../iso-time.js";
import type { Log } from "../log.js";
import type { Order } from "../orders/model/order.js";
import { type Card, isSavedCardType } from "./card.js";
import type { CardStore } from "./card-store.js";

/**
 * The card record of an order placed with `saveCard`, made when the bank's word (a
 * checked callback, or our own lookup) says the payment went through and the card is
 * saved: customer and type from the order, mask, card type and expiry from the bank,
 * never from the request. Called wherever the bank's word is applied, for a word that
 * changed the order and for one that did not (the write after a completion may have
 * been lost): the card is written once, and a deleted card is never written again.
 */

/** Statuses that say the first payment went through (later ones follow a completion). */
const PAID: ReadonlySet<string> = new Set([
  "completed",
  "partial_completed",
  "refund_requested",
  "refunded_partially",
  "refunded",
]);

export interface RecordCardDeps {
  cards: CardStore;
  log: Log;
  now: () => number;
}

export async function recordSavedCard(
  order: Order,
  details: PaymentDetails,
  deps: RecordCardDeps,
): Promise<Card | null> {
  const save = order.saveCard;
  if (!save || !PAID.has(order.status) || order.bankOrderId !== details.bankOrderId) return null;
  const type = details.savedCardType;
  if (!isSavedCardType(type)) {
    // The bank did not say the card is saved: no card, whatever we asked for.
    deps.log.warn("a payment that was to save a card completed without the bank saving it", {
      orderId: order.orderId,
      savedCardType: type,
    });
    return null;
  }
  const card: Card = {
    cardId: order.orderId,
    customerRef: save.customerRef,
    type,
    cardMask: details.card?.mask ?? null,
    cardType: details.card?.type ?? null,
    expiry: details.card?.expiry ?? null,
    createdAt: isoSeconds(deps.now()),
    parentBankOrderId: details.bankOrderId,
    amount: order.amount,
    currency: order.currency,
    deletedAt: null,
  };
  if (await deps.cards.create(card)) {
    deps.log.info("card saved", { cardId: card.cardId, type });
    return card;
  }
  return null;
}
