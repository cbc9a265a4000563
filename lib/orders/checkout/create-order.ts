import {
  placeWalletOrder,
  type WalletCheckoutDeps,
  type WalletPlacedOrder,
} from "../wallets/wallet-checkout.js";
import type { CatalogStore } from "./catalog.js";
import { type OrderRequest, requestHash } from "./order-request.js";
import { type PlacedOrder, placeOrder } from "./place-order.js";
import { priceOrder } from "./pricing.js";

/**
 * POST /orders, the shop's checkout: every price from the catalog, then placed with
 * the bank by the rules every order follows (`place-order.ts`).
 *
 * Round trips on the normal path: catalog read, order write, bank, order update. A
 * wallet payment the bank answered as done adds one bank lookup and its write.
 */

export interface CreateOrderDeps extends WalletCheckoutDeps {
  catalog: CatalogStore;
}

export type CreatedOrderAnswer = PlacedOrder | WalletPlacedOrder;

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
  const draft = {
    ...request,
    priced,
    requestHash: requestHash(request),
    origin: "shop" as const,
    reference: null,
    metadata: null,
  };
  return request.wallet
    ? placeWalletOrder(draft, idempotencyKey, deadline, deps)
    : placeOrder(draft, idempotencyKey, deadline, deps);
}
