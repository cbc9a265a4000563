import { describe, expect, it } from "vitest";
import { useFunctions } from "../support/functions.js";

const fx = useFunctions();

describe("GET /products", () => {
  it("lists the active products, prices as two-decimal strings, sorted by id", async () => {
    const { status, body, headers } = await fx.listProducts();
    expect(status).toBe(200);
    expect(headers["cache-control"]).toBe("public, max-age=60");
    expect(body).toEqual({
      products: [
        {
          productId: "sku-beans",
          description: "Coffee beans 250 g",
          unitPrice: "18.00",
          unitDiscount: null,
          currency: "GEL",
          image: null,
        },
        {
          productId: "sku-cup",
          description: "Espresso cup",
          unitPrice: "12.50",
          unitDiscount: null,
          currency: "GEL",
          image: "https://shop.example/cup.jpg",
        },
        {
          productId: "sku-mug-usd",
          description: "Travel mug",
          unitPrice: "20.00",
          unitDiscount: null,
          currency: "USD",
          image: null,
        },
        {
          productId: "sku-sticker",
          description: "Sticker",
          unitPrice: "0.00",
          unitDiscount: null,
          currency: "GEL",
          image: null,
        },
      ],
    });
  });

  it("one scan, no bank", async () => {
    fx.counters.listProducts.reset();
    await fx.listProducts();
    expect(fx.counters.listProducts.calls).toEqual(["ScanCommand"]);
  });
});
