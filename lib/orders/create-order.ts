import type { CatalogRepository } from "./catalog.js";
import { type OrderRequest, requestHash } from "./order-request.js";
import { type PlacedOrder, type PlaceOrderDeps, placeOrder } from "./place-order.js";
import { priceOrder } from "./pricing.js";

/**
 * POST /orders, the shop's checkout: every price from the catalog, then placed with
 * the bank by the rules every order follows (`place-order.ts`).
 *
 * Round trips on the normal path: catalog read, order write, bank, order update.
 */

export interface CreateOrderDeps extends PlaceOrderDeps {
  catalog: CatalogRepository;
}

export type CreatedOrderAnswer = PlacedOrder;

export async function createOrder(
  request: OrderRequest,
  idempotencyKey: string | undefined,
  deadline: number,
  deps: CreateOrderDeps,
): Promise<CreatedOrderAnswer> {
  const priced = priceOrder(
    request.items,
    await deps.catalog.getMany(request.items.map((i) => i.productId)),
    deps.config.deliveryFees,
  );
  return placeOrder(
    {
      ...request,
      priced,
      requestHash: requestHash(request),
      origin: "shop",
      reference: null,
      metadata: null,
    },
    idempotencyKey,
    deadline,
    deps,
  );
}
