import { describe, expect, it } from "vitest";
import { DomainError } from "../../../../lib/domain-error.js";
import { MAX_AMOUNT } from "../../../../lib/money.js";
import type { Product } from "../../../../lib/orders/checkout/catalog.js";
import { priceBasket, priceOrder } from "../../../../lib/orders/checkout/pricing.js";

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
    { ...product("sku-sale", 1250), unitDiscount: 250, discountId: "BF222R5" },
    { ...product("sku-free", 500), unitDiscount: 500 },
    {
      ...product("sku-legacy-sale", Number.MAX_SAFE_INTEGER),
      unitDiscount: Number.MAX_SAFE_INTEGER - 100,
    },
  ].map((p) => [p.productId, p]),
);

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
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
          unitDiscount: 0,
          discountId: null,
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
    expect(error.code).toBe("invalid_request");
    expect(error.message).toBe("a line's total is above the largest amount, 999999999.99 GEL");
    expect(error.details).toEqual([
      {
        path: "items.1.quantity",
        message: "sku-third: unit price × quantity must be at most 999999999.99 GEL",
      },
    ]);
  });

  it("names the discounted unit price when a discounted line is above the largest amount", () => {
    const bigSale = new Map([
      ["sku-big-sale", { ...product("sku-big-sale", 40_000_000_000), unitDiscount: 100 }],
    ]);
    expect(
      refusal(() => priceOrder([{ productId: "sku-big-sale", quantity: 3 }], bigSale, {})).details,
    ).toEqual([
      {
        path: "items.0.quantity",
        message:
          "sku-big-sale: (unit price − unit discount) × quantity must be at most 999999999.99 GEL",
      },
    ]);
  });

  it("refuses a line whose product overflows safe integers, instead of throwing", () => {
    const error = refusal(() =>
      priceOrder([{ productId: "sku-legacy", quantity: 1000 }], catalog, {}),
    );
    expect(error.code).toBe("invalid_request");
    expect(error.details).toEqual([
      {
        path: "items.0.quantity",
        message: "sku-legacy: unit price × quantity must be at most 999999999.99 GEL",
      },
    ]);
    // Even one of it: the price alone is above what can reach the bank exactly.
    expect(
      refusal(() => priceOrder([{ productId: "sku-legacy", quantity: 1 }], catalog, {})).code,
    ).toBe("invalid_request");
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

  describe("per-item discounts", () => {
    it("takes the catalog's discount off each unit: quantity × (unit price − discount)", () => {
      expect(
        priceOrder(
          [
            { productId: "sku-sale", quantity: 3 },
            { productId: "sku-cup", quantity: 1 },
          ],
          catalog,
          { GEL: 500 },
        ),
      ).toEqual({
        currency: "GEL",
        lines: [
          {
            productId: "sku-sale",
            description: "sku-sale",
            quantity: 3,
            unitPrice: 1250,
            unitDiscount: 250,
            discountId: "BF222R5",
            lineTotal: 3000,
          },
          {
            productId: "sku-cup",
            description: "sku-cup",
            quantity: 1,
            unitPrice: 1250,
            unitDiscount: 0,
            discountId: null,
            lineTotal: 1250,
          },
        ],
        delivery: 500,
        amount: 4750,
      });
    });

    it("a fully discounted line costs nothing; an order of nothing else is refused as zero", () => {
      const order = priceOrder(
        [
          { productId: "sku-free", quantity: 2 },
          { productId: "sku-cup", quantity: 1 },
        ],
        catalog,
        {},
      );
      expect(order.lines[0]?.lineTotal).toBe(0);
      expect(order.amount).toBe(1250);
      const error = refusal(() =>
        priceOrder([{ productId: "sku-free", quantity: 2 }], catalog, {}),
      );
      expect(error.code).toBe("invalid_request");
      expect(error.message).toBe("the order's total is zero: nothing to pay");
    });

    it("refuses a discount above its unit price, naming the item", () => {
      const error = refusal(() =>
        priceBasket(
          "GEL",
          [
            { productId: "a", description: "a", quantity: 1, unitPrice: 1000 },
            { productId: "b", description: "b", quantity: 1, unitPrice: 1000, unitDiscount: 1001 },
          ],
          0,
        ),
      );
      expect(error.code).toBe("invalid_request");
      expect(error.details).toEqual([
        {
          path: "items.1.unitDiscount",
          message: "b: the unit discount must be at most the unit price",
        },
      ]);
    });

    it("bounds the discounted line by the largest amount, in exact integers", () => {
      const price = 33_333_333_334;
      // 3 × (33333333334 − 1) = 99999999999: exactly the largest amount.
      expect(
        priceBasket(
          "GEL",
          [{ productId: "a", description: "a", quantity: 3, unitPrice: price, unitDiscount: 1 }],
          0,
        ).amount,
      ).toBe(MAX_AMOUNT);
      const error = refusal(() =>
        priceBasket(
          "GEL",
          [{ productId: "a", description: "a", quantity: 3, unitPrice: price, unitDiscount: 0 }],
          0,
        ),
      );
      expect(error.details).toEqual([
        {
          path: "items.0.quantity",
          message: "a: unit price × quantity must be at most 999999999.99 GEL",
        },
      ]);
    });

    it("refuses a unit price above the largest amount even when its discount brings the line under it", () => {
      const error = refusal(() =>
        priceOrder([{ productId: "sku-legacy-sale", quantity: 1 }], catalog, {}),
      );
      expect(error.code).toBe("invalid_request");
      expect(error.details).toEqual([
        {
          path: "items.0.quantity",
          message: "sku-legacy-sale: the unit price must be at most 999999999.99 GEL",
        },
      ]);
    });
  });
});

describe("what a refused basket says", () => {
  const shopCatalog = new Map(
    [
      product("sku-cup", 1250),
      { ...product("sku-mug", 900), currency: "USD" as const },
      { ...product("sku-old", 500), active: false },
      { ...product("sku-odd", 500), unitDiscount: 600 },
    ].map((p) => [p.productId, p]),
  );
  const refused = (items: Array<{ productId: string; quantity: number }>) => {
    try {
      priceOrder(items, shopCatalog, {});
    } catch (error) {
      if (error instanceof DomainError) return { code: error.code, message: error.message };
      throw error;
    }
    throw new Error("the basket was priced");
  };

  it("names every unknown or inactive product", () => {
    expect(
      refused([
        { productId: "sku-none", quantity: 1 },
        { productId: "sku-old", quantity: 1 },
      ]),
    ).toEqual({
      code: "unknown_product",
      message: "unknown or unavailable product: sku-none, sku-old",
    });
  });

  it("names both currencies of a mixed basket", () => {
    expect(
      refused([
        { productId: "sku-cup", quantity: 1 },
        { productId: "sku-mug", quantity: 1 },
      ]),
    ).toEqual({
      code: "invalid_request",
      message: "one currency per order: these products are priced in GEL and USD",
    });
  });

  it("says a catalog discount above its price is refused", () => {
    expect(refused([{ productId: "sku-odd", quantity: 1 }])).toEqual({
      code: "invalid_request",
      message: "a unit discount is above its unit price",
    });
  });
});
