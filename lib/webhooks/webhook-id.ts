import { type BusEventDetail, isCardEvent } from "../events/bus-event.js";

/**
 * The `webhook-id` of an event: derived from what names the event (an order's
 * `(orderId, version)`, a card's `(cardId, event)`), so every retry, a redrive and a
 * redelivered stream record carry the same id, and a shop drops repeats by it.
 */
export function webhookIdOf(detail: BusEventDetail): string {
  return isCardEvent(detail)
    ? `card_${detail.cardId}_${detail.event}`
    : `order_${detail.orderId}_v${detail.version}`;
}
