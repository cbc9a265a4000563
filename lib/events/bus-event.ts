import {
  type CardEventDetail,
  type CardSkipReason,
  cardDetailType,
  cardEventOf,
  isCardRecord,
} from "./card-event.js";
import {
  ORDER_EVENT_DETAIL_TYPE,
  type OrderEventDetail,
  type OrderStreamRecord,
  orderEventOf,
  type SkipReason,
} from "./order-event.js";

/**
 * What the orders table's stream publishes on the bus (source `bog-payments`): an
 * order's `Order Status Changed` (order-event.ts), or a card's `Card Saved` /
 * `Card Deleted` (card-event.ts), chosen by the item's key.
 */

export type BusEventDetail = OrderEventDetail | CardEventDetail;

export type BusEventDecision = { event: BusEventDetail } | { skip: SkipReason | CardSkipReason };

export const isCardEvent = (detail: BusEventDetail): detail is CardEventDetail =>
  // Stryker disable next-line LogicalOperator: an order event's detail always has orderId and never cardId, a card event's the reverse: && and || agree on every detail
  "cardId" in detail && !("orderId" in detail);

/** The event's detail-type on the bus. */
export const detailTypeOf = (detail: BusEventDetail): string =>
  isCardEvent(detail) ? cardDetailType(detail) : ORDER_EVENT_DETAIL_TYPE;

/** The event of one committed change of the orders table, or why there is none. */
export function busEventOf(record: OrderStreamRecord): BusEventDecision {
  return isCardRecord(record) ? cardEventOf(record) : orderEventOf(record);
}

/** What names the event, for logs and for dropping repeats: never card data. */
export function eventIdentity(detail: BusEventDetail): Record<string, string | number | null> {
  return isCardEvent(detail)
    ? { cardId: detail.cardId, event: detail.event }
    : {
        orderId: detail.orderId,
        version: detail.version,
        status: detail.status,
        previousStatus: detail.previousStatus,
      };
}
