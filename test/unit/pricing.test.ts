import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/http/api-error.js";
import { MAX_AMOUNT } from "../../lib/money.js";
import type { Product } from "../../lib/orders/catalog.js";
import { priceOrder } from "../../lib/orders/pricing.js";

const product = (productId: string, unitPrice: number): Product => ({
  productId,
  description: productId,
  unitPrice,
  currency: "GEL",
  image: null,
  active: true,
});

const catalog = new Map(
  [
    product("sku-cup", 1250),
    product("sku-gold", MAX_AMOUNT),
    product("sku-third", 33_333_333_333),
    // A price imported before prices were bounded: 90071992547409.91, 2^53 - 1 minor units.
    product("sku-legacy", Number.MAX_SAFE_INTEGER),
  ].map((p) => [p.productId, p]),
);

function refusal(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("pricing", () => {
  it("prices lines and the total in minor units, delivery included", () => {
    expect(priceOrder([{ productId: "sku-cup", quantity: 3 }], catalog, { GEL: 500 })).toEqual({
      currency: "GEL",
      lines: [
        {
          productId: "sku-cup",
          description: "sku-cup",
          quantity: 3,
          unitPrice: 1250,
          lineTotal: 3750,
        },
      ],
      delivery: 500,
      amount: 4250,
    });
  });

  it("takes a line and a total of exactly the largest amount", () => {
    expect(priceOrder([{ productId: "sku-gold", quantity: 1 }], catalog, {}).amount).toBe(
      MAX_AMOUNT,
    );
    expect(priceOrder([{ productId: "sku-third", quantity: 3 }], catalog, {}).amount).toBe(
      MAX_AMOUNT,
    );
  });

  it("refuses a line above the largest amount: 400 invalid_request naming the line", () => {
    const error = refusal(() =>
      priceOrder(
        [
          { productId: "sku-cup", quantity: 1 },
          { productId: "sku-third", quantity: 4 },
        ],
        catalog,
        {},
      ),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    expect(error.message).toBe("a line's total is above the largest amount, 999999999.99 GEL");
    expect(error.details).toEqual([
      {
        path: "items.1.quantity",
        message: "sku-third: unit price × quantity must be at most 999999999.99 GEL",
      },
    ]);
  });

  it("refuses a line whose product overflows safe integers, instead of throwing", () => {
    const error = refusal(() =>
      priceOrder([{ productId: "sku-legacy", quantity: 1000 }], catalog, {}),
    );
    expect(error.status).toBe(400);
    expect(error.details).toEqual([
      {
        path: "items.0.quantity",
        message: "sku-legacy: unit price × quantity must be at most 999999999.99 GEL",
      },
    ]);
    // Even one of it: the price alone is above what can reach the bank exactly.
    expect(
      refusal(() => priceOrder([{ productId: "sku-legacy", quantity: 1 }], catalog, {})).status,
    ).toBe(400);
  });

  it("refuses a total above the largest amount, with lines each within it", () => {
    const error = refusal(() =>
      priceOrder(
        [
          { productId: "sku-gold", quantity: 1 },
          { productId: "sku-cup", quantity: 1 },
        ],
        catalog,
        {},
      ),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe("invalid_request");
    expect(error.message).toBe("the order's total is above the largest amount, 999999999.99 GEL");
    expect(error.details).toEqual([
      { path: "items", message: "the total, delivery included, must be at most 999999999.99 GEL" },
    ]);
  });

  it("counts the delivery fee in the total", () => {
    expect(
      refusal(() => priceOrder([{ productId: "sku-gold", quantity: 1 }], catalog, { GEL: 1 }))
        .details,
    ).toEqual([
      { path: "items", message: "the total, delivery included, must be at most 999999999.99 GEL" },
    ]);
  });
});
