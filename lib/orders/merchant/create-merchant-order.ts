import { type PlacedOrder, type PlaceOrderDeps, placeOrder } from "../checkout/place-order.js";
import { priceBasket } from "../checkout/pricing.js";
import { type MerchantOrderRequest, merchantRequestHash } from "./merchant-order-request.js";

/**
 * POST /merchant/orders: the shop's own basket, priced from its unit prices (totals
 * computed here), placed with the bank by the rules every order follows.
 */

export type MerchantCreatedOrder = PlacedOrder & { reference: string | null };

export async function createMerchantOrder(
  request: MerchantOrderRequest,
  idempotencyKey: string,
  deadline: number,
  deps: PlaceOrderDeps,
): Promise<MerchantCreatedOrder> {
  const priced = priceBasket(request.currency, request.items, request.delivery);
  const placed = await placeOrder(
    { ...request, priced, requestHash: merchantRequestHash(request), origin: "merchant" },
    idempotencyKey,
    deadline,
    deps,
  );
  return { ...placed, reference: request.reference };
}
