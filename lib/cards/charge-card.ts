import { cardNotFound, DomainError } from "../domain-error.js";
import { isUuid } from "../ids.js";
import { formatAmount } from "../money.js";
import {
  type OrderDraft,
  type PlaceOrderDeps,
  placeOrder,
  placeWithBank,
} from "../orders/checkout/place-order.js";
import { priceBasket } from "../orders/checkout/pricing.js";
import { canonicalHash, presentationOf } from "../orders/checkout/request-fields.js";
import type { MerchantCreatedOrder } from "../orders/merchant/create-merchant-order.js";
import { merchantRequestHash } from "../orders/merchant/merchant-order-request.js";
import type { CardCharge, Order } from "../orders/model/order.js";
import type { Card } from "./card.js";
import { isCardExpired } from "./card-expiry.js";
import type { CardStore } from "./card-store.js";
import { parseChargeRequest } from "./charge-request.js";

/**
 * `POST /merchant/cards/{cardId}/charges` (docs/saved-cards.md). A charge is an order like any
 * other, placed by the same rules (`place-order.ts`): stored before the bank is called,
 * its Idempotency-Key claimed in that write, the order id the bank's Idempotency-Key.
 * So a retry with the same key (twenty at once included) reaches the same order and
 * the same bank charge, and never charges twice; the same key with another body or
 * another card is a conflict. A deleted card is `card_not_found`; a card whose
 * expiry has passed is `card_expired`, refused before the bank is called.
 *
 * - `recurrent`: the body is a new basket (as `POST /merchant/orders`); the customer
 *   confirms on the bank's page → `201` with `redirectUrl`.
 * - `subscription`: `{reference?, metadata?}`; the bank repeats the first payment's
 *   amount and currency without the customer → `201 {orderId, status, amount,
 *   currency}`; the outcome comes by callback.
 */

export interface ChargeDeps extends PlaceOrderDeps {
  cards: CardStore;
}

export interface SubscriptionChargeAnswer {
  orderId: string;
  status: string;
  amount: string;
  currency: string;
}

/**
 * The card to charge: known, not deleted, not expired; or the refusal. A retry of a
 * charge this key already placed is not refused: the card may have been deleted or
 * have expired since, and the answer must be that charge, never "nothing charged".
 */
async function chargeableCard(
  cardId: string,
  deps: ChargeDeps,
  idempotencyKey?: string,
): Promise<Card> {
  if (!isUuid(cardId)) throw cardNotFound();
  const card = await deps.cards.get(cardId.toLowerCase());
  if (!card) throw cardNotFound();
  const refusal =
    card.deletedAt !== null
      ? cardNotFound()
      : isCardExpired(card.expiry, deps.now())
        ? // The expiry stays out of the message: error messages are logged, card data never.
          new DomainError("card_expired", "the card has expired; it cannot be charged")
        : null;
  if (refusal && !(idempotencyKey && (await placedCharge(card, idempotencyKey, deps)))) {
    throw refusal;
  }
  return card;
}

/** Whether this key already placed a charge of this card (read only on a refusal). */
async function placedCharge(card: Card, idempotencyKey: string, deps: ChargeDeps) {
  const orderId = await deps.orders.orderIdForKey(idempotencyKey);
  const order = orderId ? await deps.orders.get(orderId) : undefined;
  return order?.cardCharge?.cardId === card.cardId;
}

export async function chargeCard(
  cardId: string,
  body: unknown,
  idempotencyKey: string,
  deadline: number,
  deps: ChargeDeps,
): Promise<MerchantCreatedOrder | SubscriptionChargeAnswer> {
  const card = await chargeableCard(cardId, deps, idempotencyKey);
  deps.log.appendKeys({ cardId: card.cardId });
  const request = parseChargeRequest(card.type, body, deps.config);
  const cardCharge: CardCharge = {
    cardId: card.cardId,
    type: card.type,
    parentBankOrderId: card.parentBankOrderId,
  };
  if (request.type === "recurrent") {
    const order = request.order;
    const placed = await placeOrder(
      {
        ...order,
        priced: priceBasket(order.currency, order.items, order.delivery),
        requestHash: canonicalHash({ cardId: card.cardId, order: merchantRequestHash(order) }),
        origin: "merchant",
        cardCharge,
      },
      idempotencyKey,
      deadline,
      deps,
    );
    return { ...placed, reference: order.reference };
  }
  const parent = await deps.orders.get(card.cardId);
  const draft: OrderDraft = {
    ...presentationOf({}, "automatic", deps.config.defaultTtlMinutes, {}),
    // The bank charges the first payment again: its basket, amount and currency.
    priced: {
      currency: card.currency,
      lines: parent?.lines ?? [],
      delivery: parent?.delivery ?? 0,
      amount: card.amount,
    },
    requestHash: canonicalHash({
      cardId: card.cardId,
      reference: request.reference,
      metadata: request.metadata,
    }),
    origin: "merchant",
    reference: request.reference,
    metadata: request.metadata,
    cardCharge,
  };
  const { order } = await placeWithBank(draft, idempotencyKey, deadline, deps);
  return subscriptionAnswer(order);
}

function subscriptionAnswer(order: Order): SubscriptionChargeAnswer {
  return {
    orderId: order.orderId,
    status: order.status,
    amount: formatAmount(order.amount),
    currency: order.currency,
  };
}
