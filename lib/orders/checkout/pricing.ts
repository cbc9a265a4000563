import { DomainError, type ErrorDetail, invalidRequest } from "../../domain-error.js";
import {
  formatAmount,
  MAX_AMOUNT,
  type Minor,
  multiplyWithinMax,
  sumWithinMax,
} from "../../money.js";
import type { Currency, OrderLine } from "../model/order.js";
import type { Product } from "./catalog.js";
import type { LineDetails } from "./line-details.js";

/**
 * Prices an order from the catalog alone: quantity × (unit price − unit discount) per
 * line, the
 * configured delivery fee for the order's currency, and the total, all in minor
 * units. The request names products and quantities, nothing else. A line or a total
 * above MAX_AMOUNT is the buyer's `invalid_request`, never a rounded amount or a crash.
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
    throw new DomainError(
      "unknown_product",
      `unknown or unavailable product: ${unknown.join(", ")}`,
      {
        details: unknown.map((productId) => ({
          path: `items.${items.findIndex((i) => i.productId === productId)}.productId`,
          message: "not in the catalog, or not for sale",
        })),
      },
    );
  }
  const currencies = new Set(
    items.map((item) => (catalog.get(item.productId) as Product).currency),
  );
  if (currencies.size > 1) {
    throw invalidRequest(
      `one currency per order: these products are priced in ${[...currencies].join(" and ")}`,
    );
  }
  const currency = [...currencies][0] as Currency;
  return priceBasket(
    currency,
    items.map((item) => {
      const product = catalog.get(item.productId) as Product;
      // The bank's basket line carries the product's image with its other details.
      const details = { ...product.details, ...(product.image ? { image: product.image } : {}) };
      return { ...product, quantity: item.quantity, details };
    }),
    deliveryFees[currency] ?? 0,
  );
}

/** A basket whose unit prices are known (the catalog's, or a trusted merchant's). */
export interface PricedItem {
  productId: string;
  description: string;
  quantity: number;
  unitPrice: Minor;
  /** Minor units off each unit, at most `unitPrice`; absent: 0. */
  unitDiscount?: Minor;
  /** The bank's discount promotion (`product_discount_id`); absent: none. */
  discountId?: string | null;
  /** VAT, image, package code, TIN, PINFL (`line-details.ts`); absent: none. */
  details?: LineDetails;
}

/**
 * Line totals (quantity × (unit price − unit discount)) and the order total, in minor
 * units: never a total the caller sent. A discount above its unit price, a line or a
 * total above MAX_AMOUNT, or a zero total, is the caller's `invalid_request`.
 */
export function priceBasket(
  currency: Currency,
  items: ReadonlyArray<PricedItem>,
  delivery: Minor,
): PricedOrder {
  const max = `${formatAmount(MAX_AMOUNT)} ${currency}`;
  const aboveUnitPrice: ErrorDetail[] = items.flatMap((item, i) =>
    (item.unitDiscount ?? 0) > item.unitPrice
      ? [
          {
            path: `items.${i}.unitDiscount`,
            message: `${item.productId}: the unit discount must be at most the unit price`,
          },
        ]
      : [],
  );
  if (aboveUnitPrice.length > 0) {
    throw invalidRequest("a unit discount is above its unit price", aboveUnitPrice);
  }
  const priced = items.map((item) => ({
    item,
    lineTotal: multiplyWithinMax(item.unitPrice - (item.unitDiscount ?? 0), item.quantity),
  }));
  // A discounted line may be small while its unit price, which goes to the bank too, is not.
  const tooLarge: ErrorDetail[] = priced.flatMap(({ item, lineTotal }, i) =>
    lineTotal === undefined || item.unitPrice > MAX_AMOUNT
      ? [
          {
            path: `items.${i}.quantity`,
            message:
              lineTotal !== undefined
                ? `${item.productId}: the unit price must be at most ${max}`
                : `${item.productId}: ${
                    item.unitDiscount ? "(unit price − unit discount)" : "unit price"
                  } × quantity must be at most ${max}`,
          },
        ]
      : [],
  );
  if (tooLarge.length > 0) {
    throw invalidRequest(`a line's total is above the largest amount, ${max}`, tooLarge);
  }
  const lines: OrderLine[] = priced.map(({ item, lineTotal }) => ({
    productId: item.productId,
    description: item.description,
    quantity: item.quantity,
    unitPrice: item.unitPrice,
    unitDiscount: item.unitDiscount ?? 0,
    discountId: item.discountId ?? null,
    lineTotal: lineTotal as Minor,
    ...(item.details && Object.keys(item.details).length > 0 ? { details: item.details } : {}),
  }));
  const amount = sumWithinMax([...lines.map((line) => line.lineTotal), delivery]);
  if (amount === undefined) {
    throw invalidRequest(`the order's total is above the largest amount, ${max}`, [
      { path: "items", message: `the total, delivery included, must be at most ${max}` },
    ]);
  }
  if (amount === 0) throw invalidRequest("the order's total is zero: nothing to pay");
  return { currency, lines, delivery, amount };
}
