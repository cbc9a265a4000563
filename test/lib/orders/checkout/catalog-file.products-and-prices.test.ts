import { describe, expect, it } from "vitest";
import { parseCatalogFile } from "../../../../lib/orders/checkout/catalog-file.js";

const cup = {
  productId: "sku-cup",
  description: "Espresso cup",
  unitPrice: "12.50",
  currency: "GEL",
};

describe("catalog file", () => {
  it("reads products, prices in minor units", () => {
    const { items, problems } = parseCatalogFile(
      JSON.stringify({
        products: [
          cup,
          {
            ...cup,
            productId: "b",
            unitPrice: "3",
            image: "https://x.example/b.png",
            active: false,
          },
        ],
      }),
    );
    expect(problems).toEqual([]);
    expect(items).toEqual([
      {
        productId: "sku-cup",
        description: "Espresso cup",
        unitPrice: 1250,
        currency: "GEL",
        active: true,
      },
      {
        productId: "b",
        description: "Espresso cup",
        unitPrice: 300,
        currency: "GEL",
        image: "https://x.example/b.png",
        active: false,
      },
    ]);
  });

  it.each([
    ["not JSON", "{", "the file is not JSON"],
    ["an object without products", "{}", "the file must be a JSON array of products"],
    ["no products", "[]", "the file has no products"],
    [
      "a number price",
      [{ ...cup, unitPrice: 12.5 }],
      'products[0].unitPrice must be a decimal string with at most two places, like "12.50"',
    ],
    [
      "three decimals",
      [{ ...cup, unitPrice: "12.505" }],
      "products[0].unitPrice must be a decimal string",
    ],
    [
      "a negative price",
      [{ ...cup, unitPrice: "-1.00" }],
      "products[0].unitPrice must be a decimal string",
    ],
    [
      "an unknown currency",
      [{ ...cup, currency: "RUB" }],
      "products[0].currency must be one of GEL, USD, EUR, GBP",
    ],
    ["no id", [{ ...cup, productId: "" }], "products[0].productId is required"],
    ["no description", [{ ...cup, description: undefined }], "products[0].description is required"],
    ["a duplicate id", [cup, cup], 'products[1].productId "sku-cup" appears twice'],
    [
      "an http image",
      [{ ...cup, image: "http://x.example/a.png" }],
      "products[0].image must be an https URL",
    ],
    ["a string active", [{ ...cup, active: "yes" }], "products[0].active must be true or false"],
    ["an unknown field", [{ ...cup, price: "1.00" }], "products[0].price is not a product field"],
    [
      "a control character",
      [{ ...cup, description: "a\u0007b" }],
      "products[0].description must not contain control characters",
    ],
  ])("refuses %s", (_case, content, problem) => {
    const { items, problems } = parseCatalogFile(
      typeof content === "string" ? content : JSON.stringify(content),
    );
    expect(items).toEqual([]);
    expect(problems.some((p) => p.startsWith(problem))).toBe(true);
  });

  it("takes a price of exactly the largest amount, 999999999.99", () => {
    const { items, problems } = parseCatalogFile(
      JSON.stringify([{ ...cup, unitPrice: "999999999.99" }]),
    );
    expect(problems).toEqual([]);
    expect(items[0]?.unitPrice).toBe(99_999_999_999);
  });

  it.each([
    ["one cent above", "1000000000.00"],
    // A safe integer in minor units that would reach the bank as 90071992547409.9.
    ["one that JSON would round", "90071992547409.91"],
  ])("refuses a price above the largest amount (%s), naming the product", (_case, unitPrice) => {
    const { items, problems } = parseCatalogFile(
      JSON.stringify([cup, { ...cup, productId: "sku-gold", unitPrice }]),
    );
    expect(items).toEqual([]);
    expect(problems).toEqual([
      `products[1].unitPrice of "sku-gold" is ${unitPrice}, above the largest price, 999999999.99`,
    ]);
  });

  it("reads a per-unit discount in minor units, and the bank's discount id", () => {
    const { items, problems } = parseCatalogFile(
      JSON.stringify([
        { ...cup, unitDiscount: "2.5", discountId: "BF222R5" },
        { ...cup, productId: "sku-free", unitDiscount: "12.50" },
        { ...cup, productId: "sku-promo", discountId: "SPRING-24" },
        { ...cup, productId: "sku-none", unitDiscount: null, discountId: null },
      ]),
    );
    expect(problems).toEqual([]);
    expect(items).toEqual([
      { ...cup, unitPrice: 1250, active: true, unitDiscount: 250, discountId: "BF222R5" },
      { ...cup, productId: "sku-free", unitPrice: 1250, active: true, unitDiscount: 1250 },
      { ...cup, productId: "sku-promo", unitPrice: 1250, active: true, discountId: "SPRING-24" },
      { ...cup, productId: "sku-none", unitPrice: 1250, active: true },
    ]);
    expect(Object.keys(items[3] ?? {})).not.toContain("unitDiscount");
  });

  it.each([
    [
      "a discount above the price",
      { unitDiscount: "12.51" },
      'products[0].unitDiscount of "sku-cup" is 12.51, above its unitPrice, 12.50',
    ],
    [
      "a discount with three decimals",
      { unitDiscount: "1.005" },
      'products[0].unitDiscount of "sku-cup" must be a decimal string with at most two places, like "2.50"',
    ],
    [
      "a discount as a JSON number",
      { unitDiscount: 2.5 },
      'products[0].unitDiscount of "sku-cup" must be a decimal string with at most two places',
    ],
    [
      "a negative discount",
      { unitDiscount: "-1.00" },
      'products[0].unitDiscount of "sku-cup" must be a decimal string',
    ],
    [
      "a discount id of 65 characters",
      { discountId: "D".repeat(65) },
      'products[0].discountId of "sku-cup" must be 1 to 64 printable characters',
    ],
    [
      "an empty discount id",
      { discountId: " " },
      'products[0].discountId of "sku-cup" must be 1 to 64 printable characters',
    ],
    [
      "a discount id with a control character",
      { discountId: "BF\u0007" },
      'products[0].discountId of "sku-cup" must be 1 to 64 printable characters',
    ],
    [
      "a discount id with an invisible format character",
      { discountId: "BF\u200b222" },
      'products[0].discountId of "sku-cup" must be 1 to 64 printable characters',
    ],
    [
      "a discount id as a number",
      { discountId: 222 },
      'products[0].discountId of "sku-cup" must be 1 to 64 printable characters',
    ],
  ])("refuses %s, naming the product", (_case, fields, problem) => {
    const { items, problems } = parseCatalogFile(
      JSON.stringify([
        { ...cup, ...fields },
        { ...cup, productId: "sku-fine" },
      ]),
    );
    expect(items).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(problem)).toBe(true);
  });

  it("takes a discount id of exactly 64 characters", () => {
    const { problems } = parseCatalogFile(JSON.stringify([{ ...cup, discountId: "D".repeat(64) }]));
    expect(problems).toEqual([]);
  });

  it("reports every problem, and writes nothing when there is one", () => {
    const { problems } = parseCatalogFile(
      JSON.stringify([cup, { ...cup, productId: "x", currency: "XXX", unitPrice: "abc" }]),
    );
    expect(problems).toHaveLength(2);
  });
});
