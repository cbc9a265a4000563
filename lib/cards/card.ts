import type { Currency } from "../bog/vocabulary.js";
import type { Minor } from "../money.js";

/**
 * A saved card as this service keeps it (docs/saved-cards.md): which customer of the shop it
 * belongs to, and what the bank says about it. Cards never leave the bank: only the
 * bank's masked number, card type and expiry are kept. Its id is the id of the order
 * whose payment saved it.
 */

export const SAVED_CARD_TYPES = ["recurrent", "subscription"] as const;
export type SavedCardType = (typeof SAVED_CARD_TYPES)[number];

export const isSavedCardType = (value: unknown): value is SavedCardType =>
  (SAVED_CARD_TYPES as readonly unknown[]).includes(value);

export interface Card {
  /** The order whose payment saved the card. */
  cardId: string;
  /** The shop's own customer id. */
  customerRef: string;
  type: SavedCardType;
  /** The bank's masked number (`payer_identifier`), e.g. `548888xxxxxx9893`. */
  cardMask: string | null;
  /** `visa`, `mc`, `amex`, … */
  cardType: string | null;
  /** `MM/YY`, as the bank writes it. */
  expiry: string | null;
  /** ISO 8601, UTC */
  createdAt: string;
  /** The bank's id of the order that saved it (its `parent_order_id`): what the bank's charge and delete calls name. Not `bankOrderId`: that attribute is the orders' index key. */
  parentBankOrderId: string;
  /** The first payment: an automatic charge repeats it (the bank copies it). */
  amount: Minor;
  currency: Currency;
  /** Set when deleted; the card stays as a tombstone so that a late bank word cannot bring it back. */
  deletedAt: string | null;
}

/** What `GET /merchant/customers/{customerRef}/cards` shows of a card. */
export type CardView = Pick<
  Card,
  "cardId" | "customerRef" | "type" | "cardMask" | "cardType" | "expiry" | "createdAt"
>;

export function cardView(card: Card): CardView {
  return {
    cardId: card.cardId,
    customerRef: card.customerRef,
    type: card.type,
    cardMask: card.cardMask,
    cardType: card.cardType,
    expiry: card.expiry,
    createdAt: card.createdAt,
  };
}
