import { describe, expect, it } from "vitest";
import { DomainError } from "../../../../lib/domain-error.js";
import {
  MAX_METADATA_PAIRS,
  merchantRequestHash,
  parseMerchantOrderRequest,
} from "../../../../lib/orders/merchant/merchant-order-request.js";

/**
 * POST /merchant/orders' body (docs/merchant-api.md), read before anything is stored: each
 * refusal names its field and says what is wrong, in words an operator acts on; what
 * is accepted is kept as given; the same basket however written hashes alike.
 */

const LIMITS = { maxItems: 3, defaultTtlMinutes: 15, captureMode: "automatic" as const };
const ITEM = { productId: "mug", description: "Mug", quantity: 1, unitPrice: "10.00" };
const BASKET = { currency: "GEL", items: [ITEM] };

function refusal(body: Record<string, unknown>): { message: string; details: unknown } {
  try {
    parseMerchantOrderRequest(body, LIMITS);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toBe("invalid_request");
    return { message: error.message, details: error.details };
  }
  throw new Error("accepted");
}

describe("a refused basket: its field and what is wrong", () => {
  it.each([
    [{ reference: "" }, "reference", "reference must not be empty"],
    [{ currency: "JPY" }, "currency", "currency must be one of GEL, USD, EUR, GBP"],
    [{ items: "mug" }, "items", "items must be an array"],
    [{ items: [] }, "items", "items must not be empty"],
    [
      { items: ["a", "b", "c", "d"].map((p) => ({ ...ITEM, productId: p })) },
      "items",
      "at most 3 items per order",
    ],
    [{ items: [{ ...ITEM, productId: "" }] }, "items.0.productId", "productId must not be empty"],
    [
      { items: [{ ...ITEM, description: "" }] },
      "items.0.description",
      "description must not be empty",
    ],
    [
      { items: [{ ...ITEM, unitPrice: "ten" }] },
      "items.0.unitPrice",
      'unitPrice must be a decimal string like "12.50", at most 999999999.99',
    ],
    [
      { items: [{ ...ITEM, unitDiscount: "1.005" }] },
      "items.0.unitDiscount",
      'unitDiscount must be a decimal string like "12.50", at most 999999999.99',
    ],
    [{ items: [{ ...ITEM, discountId: 7 }] }, "items.0.discountId", "discountId must be a string"],
    [
      { items: [{ ...ITEM, discountId: "" }] },
      "items.0.discountId",
      "discountId must be 1 to 64 printable characters",
    ],
    [
      { delivery: "3.005" },
      "delivery",
      'delivery must be a decimal string like "12.50", at most 999999999.99',
    ],
    [
      { successUrl: "http://shop.example/ok" },
      "successUrl",
      "successUrl must be an https URL (http only for localhost)",
    ],
    [
      { failUrl: "ftp://shop.example/no" },
      "failUrl",
      "failUrl must be an https URL (http only for localhost)",
    ],
    [{ failUrl: "not a url" }, "failUrl", "failUrl must be an https URL (http only for localhost)"],
    [
      { successUrl: `https://shop.example/${"p".repeat(2030)}` },
      "successUrl",
      "successUrl must be at most 2048 characters",
    ],
    [
      { saveCard: "forever", customerRef: "c-1" },
      "saveCard",
      "saveCard must be one of recurrent, subscription",
    ],
    [{ saveCard: "recurrent" }, "customerRef", "required with saveCard"],
    [{ customerRef: "c-1" }, "customerRef", "only with saveCard"],
  ])("%j", (fields, path, detail) => {
    const answer = refusal({ ...BASKET, ...fields });
    expect(answer.details).toEqual([{ path, message: detail }]);
  });

  it("a saved card without its customer, and a customer without a card, in words", () => {
    expect(refusal({ ...BASKET, saveCard: "recurrent" })).toEqual({
      message: "customerRef is required with saveCard",
      details: [{ path: "customerRef", message: "required with saveCard" }],
    });
    expect(refusal({ ...BASKET, customerRef: "c-1" })).toEqual({
      message: "customerRef is only for saveCard",
      details: [{ path: "customerRef", message: "only with saveCard" }],
    });
  });

  it("a discount above its price, on the lines that have one", () => {
    const items = [
      { ...ITEM, productId: "a", unitDiscount: "10.00" },
      { ...ITEM, productId: "b", unitDiscount: "10.01" },
    ];
    expect(refusal({ ...BASKET, items })).toEqual({
      message: "unitDiscount must be at most unitPrice",
      details: [
        { path: "items.1.unitDiscount", message: "unitDiscount must be at most unitPrice" },
      ],
    });
  });

  it("a product listed twice: the second place is named", () => {
    const items = [ITEM, { ...ITEM, productId: "tea" }, { ...ITEM, quantity: 2 }];
    expect(refusal({ ...BASKET, items })).toEqual({
      message: "each productId once per order",
      details: [{ path: "items.2.productId", message: "mug is listed twice" }],
    });
  });

  it(`metadata: at most ${MAX_METADATA_PAIRS} pairs`, () => {
    const pairs = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    expect(parseMerchantOrderRequest({ ...BASKET, metadata: pairs(20) }, LIMITS).metadata).toEqual(
      pairs(20),
    );
    expect(refusal({ ...BASKET, metadata: pairs(21) }).details).toEqual([
      { path: "metadata", message: "metadata holds at most 20 pairs" },
    ]);
  });
});

describe("an accepted basket", () => {
  it("result pages: https anywhere, http only on this machine", () => {
    for (const url of [
      "https://shop.example/ok",
      "http://localhost:3000/ok",
      "http://127.0.0.1/ok",
    ]) {
      expect(
        parseMerchantOrderRequest({ ...BASKET, successUrl: url, failUrl: url }, LIMITS),
      ).toMatchObject({ successUrl: url, failUrl: url });
    }
  });

  it("a discount equal to the price, and the bank's discount id, kept; none given, none kept", () => {
    const parsed = parseMerchantOrderRequest(
      {
        ...BASKET,
        items: [
          { ...ITEM, unitDiscount: "10.00", discountId: "PROMO-1" },
          { ...ITEM, productId: "tea" },
        ],
      },
      LIMITS,
    );
    expect(parsed.items).toEqual([
      {
        productId: "mug",
        description: "Mug",
        quantity: 1,
        unitPrice: 1000,
        unitDiscount: 1000,
        discountId: "PROMO-1",
      },
      { productId: "tea", description: "Mug", quantity: 1, unitPrice: 1000 },
    ]);
  });

  it("empty metadata is none; a saved card is its type and its customer", () => {
    const parsed = parseMerchantOrderRequest(
      { ...BASKET, metadata: {}, saveCard: "subscription", customerRef: "c-1" },
      LIMITS,
    );
    expect(parsed.metadata).toBeNull();
    expect(parsed.saveCard).toEqual({ type: "subscription", customerRef: "c-1" });
  });
});

describe("the request hash", () => {
  const hash = (body: Record<string, unknown>) =>
    merchantRequestHash(parseMerchantOrderRequest({ ...BASKET, ...body }, LIMITS));

  it("the same basket in another order of lines or methods is the same request", () => {
    const a = { ...ITEM, productId: "a" };
    const b = { ...ITEM, productId: "b", quantity: 2 };
    const c = { ...ITEM, productId: "c", quantity: 3 };
    expect(hash({ items: [a, b, c], paymentMethods: ["card", "google_pay"] })).toBe(
      hash({ items: [c, a, b], paymentMethods: ["google_pay", "card"] }),
    );
    expect(hash({ items: [b, c, a] })).toBe(hash({ items: [a, b, c] }));
  });

  it("another basket, other methods: another request", () => {
    const a = { ...ITEM, productId: "a" };
    const b = { ...ITEM, productId: "b", quantity: 2 };
    expect(hash({ items: [a, b] })).not.toBe(hash({ items: [a, { ...b, quantity: 3 }] }));
    expect(hash({ items: [a], paymentMethods: ["card"] })).not.toBe(
      hash({ items: [a], paymentMethods: ["google_pay"] }),
    );
  });
});
