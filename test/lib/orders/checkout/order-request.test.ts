import { describe, expect, it } from "vitest";
import { DomainError } from "../../../../lib/domain-error.js";
import { parseOrderRequest, requestHash } from "../../../../lib/orders/checkout/order-request.js";

const limits = { maxItems: 50, defaultTtlMinutes: 15 };
const items = [{ productId: "sku-cup", quantity: 1 }];

describe("the capture mode comes from the shop, never the browser", () => {
  it.each(["automatic", "manual"] as const)("a %s shop's orders are %s", (mode) => {
    expect(parseOrderRequest({ items }, { ...limits, captureMode: mode }).capture).toBe(mode);
    expect(
      parseOrderRequest({ items, capture: mode }, { ...limits, captureMode: mode }).capture,
    ).toBe(mode);
  });

  it.each([
    ["automatic", "manual"],
    ["manual", "automatic"],
  ] as const)("a %s shop refuses capture %s", (mode, asked) => {
    let refused: unknown;
    try {
      parseOrderRequest({ items, capture: asked }, { ...limits, captureMode: mode });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "invalid_request" });
    expect((refused as DomainError).details?.[0]?.path).toBe("capture");
  });
});

describe("the request hash tells a retry from another request under the same key", () => {
  const shop = { ...limits, captureMode: "automatic" as const };
  const hashOf = (body: Record<string, unknown>) => requestHash(parseOrderRequest(body, shop));
  const two = [
    { productId: "sku-cup", quantity: 1 },
    { productId: "sku-beans", quantity: 2 },
  ];

  it("the same request, however it is written, hashes alike", () => {
    const hash = hashOf({ items: two, paymentMethods: ["card", "google_pay"] });
    expect(
      hashOf({
        paymentMethods: ["google_pay", "card", "card"],
        items: [...two].reverse(),
        locale: "ka",
        theme: "light",
        ttlMinutes: 15,
      }),
    ).toBe(hash);
    expect(
      hashOf({
        items: [
          { productId: "sku-beans", quantity: 1 },
          { productId: "sku-cup", quantity: 1 },
          { productId: "sku-beans", quantity: 1 },
        ],
        paymentMethods: ["card", "google_pay"],
      }),
    ).toBe(hash);
  });

  // Each pair differs in one field only: every field the bank gets is in the hash.
  it.each([
    ["a quantity", { items: two }, { items: [two[0], { productId: "sku-beans", quantity: 3 }] }],
    ["a product", { items: two }, { items: [two[0], { productId: "sku-mug", quantity: 2 }] }],
    ["paymentMethods", { items: two }, { items: two, paymentMethods: ["card"] }],
    ["locale", { items: two }, { items: two, locale: "en" }],
    ["theme", { items: two }, { items: two, theme: "dark" }],
    ["ttlMinutes", { items: two }, { items: two, ttlMinutes: 30 }],
    ["buyer", { items: two }, { items: two, buyer: { fullName: "Nino Beridze" } }],
    [
      "buyer's contact",
      { items: two, buyer: { maskedEmail: "n***@example.ge" } },
      { items: two, buyer: { maskedEmail: "m***@example.ge" } },
    ],
    [
      "loan",
      // A loan-only order needs its loan (the bank's config.loan); one without terms is another.
      { items: two, paymentMethods: ["bog_loan"], loan: {} },
      { items: two, paymentMethods: ["bog_loan"], loan: { code: "standard", months: 12 } },
    ],
    [
      "loan months",
      { items: two, paymentMethods: ["bog_loan"], loan: { code: "standard", months: 12 } },
      { items: two, paymentMethods: ["bog_loan"], loan: { code: "standard", months: 6 } },
    ],
    ["wallet", { items: two }, { items: two, wallet: { type: "apple_pay" } }],
  ] as Array<[string, Record<string, unknown>, Record<string, unknown>]>)(
    "another %s is another request",
    (_field, one, other) => {
      expect(hashOf(other)).not.toBe(hashOf(one));
    },
  );

  it("the shop's own settings are in it too: a changed campaign is another request", () => {
    const body = { items: two };
    const plain = requestHash(parseOrderRequest(body, shop));
    const campaign = requestHash(
      parseOrderRequest(body, { ...shop, campaign: { card: "visa", type: "restrict" } }),
    );
    expect(campaign).not.toBe(plain);
  });
});
