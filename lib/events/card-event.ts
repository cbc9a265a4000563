import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type Card, isSavedCardType } from "../cards/card.js";
import { MalformedOrderRecordError, type OrderStreamRecord } from "./order-event.js";

/**
 * The rule that turns one committed change of a card item of the orders table
 * (`card#<cardId>`, lib/cards/card-store.ts) into a card event (docs/events-and-webhooks.md, docs/saved-cards.md), or
 * into nothing. Pure, like order-event.ts.
 *
 * - `Card Saved`: the card's first write (an INSERT; the store writes a card once).
 * - `Card Deleted`: the write that sets `deletedAt` (once: the store's condition).
 *
 * So `(cardId, event)` names one event: a consumer drops repeats by it. The detail
 * carries only what the bank said of the card (its masked number, card type and
 * expiry) and whose it is; never the bank's order id or the first payment's amount.
 */

export const CARD_SAVED_DETAIL_TYPE = "Card Saved";
export const CARD_DELETED_DETAIL_TYPE = "Card Deleted";

export type CardEventDetailType = typeof CARD_SAVED_DETAIL_TYPE | typeof CARD_DELETED_DETAIL_TYPE;

/** The detail of `Card Saved` and `Card Deleted`, and the webhook's body. */
export type CardEventDetail = Pick<
  Card,
  "cardId" | "customerRef" | "type" | "cardMask" | "cardType" | "expiry"
> & {
  /** Which of the two: the webhook's body has no detail-type, so the detail says it. */
  event: "saved" | "deleted";
  /** ISO 8601, UTC, seconds: when the card was saved (`createdAt`) or deleted. */
  occurredAt: string;
};

export type CardSkipReason = "not_a_card_change";

export type CardEventDecision = { event: CardEventDetail } | { skip: CardSkipReason };

export const CARD_KEY_PREFIX = "card#";

type Item = Record<string, unknown>;

const itemOf = (image: Record<string, unknown> | undefined): Item | undefined =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

/** A stream record about a card item (its key, in either image). */
export function isCardRecord(record: OrderStreamRecord): boolean {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  const pk = (image?.pk as { S?: unknown } | undefined)?.S;
  return typeof pk === "string" && pk.startsWith(CARD_KEY_PREFIX);
}

export const cardDetailType = (detail: CardEventDetail): CardEventDetailType =>
  detail.event === "saved" ? CARD_SAVED_DETAIL_TYPE : CARD_DELETED_DETAIL_TYPE;

function text(item: Item, field: string): string {
  const value = item[field];
  if (typeof value !== "string" || value === "")
    throw new MalformedOrderRecordError(`the card's ${field} is not a text`);
  return value;
}

function textOrNull(item: Item, field: string): string | null {
  const value = item[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string")
    throw new MalformedOrderRecordError(`the card's ${field} is not a text`);
  return value;
}

const isDeleted = (item: Item | undefined) =>
  item !== undefined && item.deletedAt !== undefined && item.deletedAt !== null;

/** The event of one committed change of a card item, or none. */
export function cardEventOf(record: OrderStreamRecord): CardEventDecision {
  if (record.eventName === "REMOVE" || !record.dynamodb?.NewImage)
    return { skip: "not_a_card_change" };
  const newItem = itemOf(record.dynamodb.NewImage) as Item;
  const oldItem = itemOf(record.dynamodb.OldImage);
  let event: CardEventDetail["event"];
  if (oldItem === undefined && !isDeleted(newItem)) event = "saved";
  else if (oldItem !== undefined && !isDeleted(oldItem) && isDeleted(newItem)) event = "deleted";
  else return { skip: "not_a_card_change" };
  const type = newItem.type;
  if (!isSavedCardType(type))
    throw new MalformedOrderRecordError("the card's type is not recurrent or subscription");
  return {
    event: {
      event,
      cardId: text(newItem, "cardId"),
      customerRef: text(newItem, "customerRef"),
      type,
      cardMask: textOrNull(newItem, "cardMask"),
      cardType: textOrNull(newItem, "cardType"),
      expiry: textOrNull(newItem, "expiry"),
      occurredAt: text(newItem, event === "saved" ? "createdAt" : "deletedAt"),
    },
  };
}
