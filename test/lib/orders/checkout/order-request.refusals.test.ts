import { describe, expect, it } from "vitest";
import { DomainError } from "../../../../lib/domain-error.js";
import { parseOrderRequest, requestHash } from "../../../../lib/orders/checkout/order-request.js";
import { canonicalHash } from "../../../../lib/orders/checkout/request-fields.js";

/**
 * What a shop's developer reads when an order request is refused: one `invalid_request`
 * whose message is the first problem and whose details name each problem's path; and the
 * request hash.
 */

const shop = { maxItems: 2, defaultTtlMinutes: 15, captureMode: "automatic" as const };
const cup = { productId: "sku-cup", quantity: 1 };

function refusal(body: unknown): { message: string; details: unknown } {
  try {
    parseOrderRequest(body, shop);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toBe("invalid_request");
    return { message: error.message, details: error.details };
  }
  throw new Error("the request was accepted");
}

describe("a refused order request says what is wrong, and where", () => {
  it.each([null, [], "items", 7])("a body that is not a JSON object (%j)", (body) => {
    expect(refusal(body).message).toBe("the body must be a JSON object");
  });

  it.each([
    [{ items: 5 }, "items", "items must be an array"],
    [{ items: [] }, "items", "items must not be empty"],
    [{ items: [cup, cup, cup] }, "items", "at most 2 items per order"],
    [
      { items: [{ productId: 5, quantity: 1 }] },
      "items.0.productId",
      "productId has the wrong type",
    ],
    [
      { items: [{ productId: "x".repeat(129), quantity: 1 }] },
      "items.0.productId",
      "productId must be at most 128 characters",
    ],
    [
      { items: [{ productId: "sku\u0001cup", quantity: 1 }] },
      "items.0.productId",
      "productId must not contain control characters",
    ],
  ])("%j: %s, %s", (body, path, message) => {
    expect(refusal(body)).toEqual({ message, details: [{ path, message }] });
  });

  it("a capture mode that is not the shop's", () => {
    expect(refusal({ items: [cup], capture: "manual" })).toEqual({
      message: "capture must be automatic (the shop's setting)",
      details: [{ path: "capture", message: "this shop's capture mode is automatic" }],
    });
  });

  it("one product's lines add up to at most 1000, and exactly 1000 is fine", () => {
    expect(
      refusal({
        items: [
          { productId: "sku-cup", quantity: 600 },
          { productId: "sku-cup", quantity: 401 },
        ],
      }),
    ).toEqual({
      message: "quantity must be at most 1000",
      details: [
        {
          path: "items",
          message: "sku-cup: the same product's quantities add up to more than 1000",
        },
      ],
    });
    const exact = parseOrderRequest(
      {
        items: [
          { productId: "sku-cup", quantity: 600 },
          { productId: "sku-cup", quantity: 400 },
        ],
      },
      shop,
    );
    expect(exact.items).toEqual([{ productId: "sku-cup", quantity: 1000 }]);
  });

  it("payment methods named twice are kept once", () => {
    const parsed = parseOrderRequest({ items: [cup], paymentMethods: ["card", "card"] }, shop);
    expect(parsed.paymentMethods).toEqual(["card"]);
  });
});

describe("the request hash", () => {
  const hashOf = (body: Record<string, unknown>) => requestHash(parseOrderRequest(body, shop));

  it("covers the payment methods, in any order", () => {
    expect(hashOf({ items: [cup], paymentMethods: ["card"] })).not.toBe(
      hashOf({ items: [cup], paymentMethods: ["google_pay"] }),
    );
    expect(hashOf({ items: [cup], paymentMethods: ["card", "google_pay"] })).toBe(
      hashOf({ items: [cup], paymentMethods: ["google_pay", "card"] }),
    );
  });

  it("reads nested objects with their keys in any order", () => {
    expect(canonicalHash({ a: { x: 1, y: [{ p: 1, q: 2 }] } })).toBe(
      canonicalHash({ a: { y: [{ q: 2, p: 1 }], x: 1 } }),
    );
    expect(canonicalHash({ a: { x: 1 } })).not.toBe(canonicalHash({ a: { x: 2 } }));
  });
});
