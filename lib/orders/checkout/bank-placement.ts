import type {
  BogClient,
  CreatedOrder,
  CreateOrderRequest,
  WalletOrderRequest,
} from "../../bog/client.js";
import type { OrderConfig } from "../../config.js";
import { derivedUuidV4 } from "../../ids.js";
import type { Order } from "../model/order.js";

/**
 * The bank calls that place an order, in our key's name (the order id): create-order,
 * or for a saved card's charge (docs/saved-cards.md) the bank's charge with the customer
 * (`recurrent`, a new basket on the bank's page) or without (`subscription`, the first
 * payment repeated, the outcome by callback). An order that is to save its card asks
 * the bank to save it here, after create-order and before anyone sees the payment
 * page (the bank refuses it once the customer has paid): the order is placed only
 * when both calls went through, so a failure leaves it `pending`, without a page, for
 * a retry with the same key to resume with the same bank order and the same save.
 */

export async function placeAtBank(
  order: Order,
  request: CreateOrderRequest | WalletOrderRequest,
  config: OrderConfig,
  bank: BogClient,
  deadline: number,
): Promise<CreatedOrder> {
  const key = { idempotencyKey: order.orderId, deadline };
  const charge = order.cardCharge;
  let created: CreatedOrder;
  if (charge?.type === "subscription") {
    const answer = await bank.subscribe(
      charge.parentBankOrderId,
      { callbackUrl: config.callbackUrl, externalOrderId: order.orderId },
      key,
    );
    created = { ...answer, status: null, redirectUrl: null, acceptUrl: null };
  } else if (charge?.type === "recurrent") {
    created = await bank.chargeSavedCard(
      charge.parentBankOrderId,
      request as CreateOrderRequest,
      key,
    );
  } else {
    created = await bank.createOrder(request, key);
  }
  if (order.saveCard) {
    await bank.saveCard(created.bankOrderId, order.saveCard.type, {
      idempotencyKey: derivedUuidV4(`${order.orderId}\nsaveCard`),
      deadline,
    });
  }
  return created;
}
