import { describe, expect, it } from "vitest";
import { parseCatalogFile } from "../../../../lib/orders/checkout/catalog-file.js";

/**
 * The catalog file's refusals in the words the operator reads (`npm run catalog:import`),
 * each exactly, and a product read with nothing it did not have.
 */

const cup = {
  productId: "sku-cup",
  description: "Espresso cup",
  unitPrice: "12.50",
  currency: "GEL",
};
const problemsOf = (products: unknown) => parseCatalogFile(JSON.stringify(products)).problems;

describe("a file that is not a list of products", () => {
  it.each([
    ["null", "null"],
    ["a number", "5"],
    ["a string", '"products"'],
    ["an object without products", '{"items": []}'],
    ["products that are not a list", '{"products": 5}'],
    ["products that are null", '{"products": null}'],
  ])("%s: says what the file must be", (_name, text) => {
    expect(parseCatalogFile(text)).toEqual({
      items: [],
      problems: ['the file must be a JSON array of products, or {"products": [...]}'],
    });
  });
});

describe("each product's problems", () => {
  it("an entry that is not an object, by its place", () => {
    expect(problemsOf([null, 5, [], "cup", cup])).toEqual([
      "products[0] must be an object",
      "products[1] must be an object",
      "products[2] must be an object",
      "products[3] must be an object",
    ]);
  });

  it("a blank text is missing; a text one longer than its limit is too long", () => {
    expect(problemsOf([{ ...cup, description: "   " }])).toEqual([
      "products[0].description is required",
    ]);
    expect(
      problemsOf([{ ...cup, productId: "p".repeat(128), description: "d".repeat(200) }]),
    ).toEqual([]);
    expect(problemsOf([{ ...cup, productId: "p".repeat(129) }])).toEqual([
      "products[0].productId must be at most 128 characters",
    ]);
    expect(problemsOf([{ ...cup, description: "d".repeat(201) }])).toEqual([
      "products[0].description must be at most 200 characters",
    ]);
  });

  it("a price or discount of a product without a usable id names it 'this product'", () => {
    const { productId: _, ...noId } = cup;
    expect(problemsOf([{ ...noId, unitPrice: "1000000000.00" }])).toEqual([
      "products[0].productId is required",
      "products[0].unitPrice of this product is 1000000000.00, above the largest price, 999999999.99",
    ]);
    expect(problemsOf([{ ...noId, unitDiscount: "x" }])).toEqual([
      "products[0].productId is required",
      'products[0].unitDiscount of this product must be a decimal string with at most two places, like "2.50"',
    ]);
    expect(problemsOf([{ ...cup, unitPrice: "1000000000.00" }])).toEqual([
      'products[0].unitPrice of "sku-cup" is 1000000000.00, above the largest price, 999999999.99',
    ]);
  });

  it("an image or discount id given as null is none", () => {
    const { items, problems } = parseCatalogFile(
      JSON.stringify([{ ...cup, image: null, discountId: null, unitDiscount: null }]),
    );
    expect(problems).toEqual([]);
    expect(items).toStrictEqual([
      {
        productId: "sku-cup",
        description: "Espresso cup",
        unitPrice: 1250,
        currency: "GEL",
        active: true,
      },
    ]);
  });
});
