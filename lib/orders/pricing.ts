import { ApiError, invalidRequest } from "../http/api-error.js";
import { type Minor, multiplyAmount, sumAmounts } from "../money.js";
import type { Product } from "./catalog.js";
import type { Currency, OrderLine } from "./order.js";

/**
 * Prices an order from the catalog alone: unit price × quantity per line, the
 * configured delivery fee for the order's currency, and the total, all in minor
 * units. The request names products and quantities, nothing else.
 */

export interface PricedOrder {
  currency: Currency;
  lines: OrderLine[];
  delivery: Minor;
  amount: Minor;
}

export type DeliveryFees = Partial<Record<Currency, Minor>>;

export function priceOrder(
  items: ReadonlyArray<{ productId: string; quantity: number }>,
  catalog: ReadonlyMap<string, Product>,
  deliveryFees: DeliveryFees,
): PricedOrder {
  const unknown = items
    .filter((item) => !catalog.get(item.productId)?.active)
    .map((item) => item.productId);
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      "unknown_product",
      `unknown or unavailable product: ${unknown.join(", ")}`,
      unknown.map((productId) => ({
        path: `items.${items.findIndex((i) => i.productId === productId)}.productId`,
        message: "not in the catalog, or not for sale",
      })),
    );
  }
  const lines: OrderLine[] = items.map((item) => {
    const product = catalog.get(item.productId) as Product;
    return {
      productId: product.productId,
      description: product.description,
      quantity: item.quantity,
      unitPrice: product.unitPrice,
      lineTotal: multiplyAmount(product.unitPrice, item.quantity),
    };
  });
  const currencies = new Set(
    items.map((item) => (catalog.get(item.productId) as Product).currency),
  );
  if (currencies.size > 1) {
    throw invalidRequest(
      `one currency per order: these products are priced in ${[...currencies].join(" and ")}`,
    );
  }
  const currency = [...currencies][0] as Currency;
  const delivery = deliveryFees[currency] ?? 0;
  const amount = sumAmounts([...lines.map((line) => line.lineTotal), delivery]);
  if (amount === 0) throw invalidRequest("the order's total is zero: nothing to pay");
  return { currency, lines, delivery, amount };
}
