import { describe, expect, it } from "vitest";
import { publicPart, readOpenApi } from "../../../infra/openapi/document.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { apiEvent, useFunctions } from "../../support/functions.js";

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

describe("GET /openapi.json (the same light function)", () => {
  const getDocument = (headers: Record<string, string> = {}) =>
    fx
      .handlers()
      .listProducts(
        apiEvent({ method: "GET", path: "/openapi.json", headers }),
        lambdaContext("list-products"),
      );

  it("answers the public part of openapi.yaml, cacheable, with an ETag, and no table read", async () => {
    const before = fx.counters.listProducts.total;
    const answer = await getDocument();
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({
      "content-type": "application/json",
      "cache-control": "public, max-age=300",
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
    });
    expect(JSON.parse(answer.body)).toEqual(publicPart(readOpenApi()));
    expect(answer.body).not.toContain("/merchant");
    expect(fx.counters.listProducts.total).toBe(before);
  });

  it("If-None-Match with its ETag (strong, weak or in a list) is a 304 without a body", async () => {
    const { etag } = (await getDocument()).headers as { etag: string };
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const answer = await getDocument({ "if-none-match": ifNoneMatch });
      expect(answer.statusCode, ifNoneMatch).toBe(304);
      expect(answer.body).toBe("");
      expect(answer.headers?.etag).toBe(etag);
    }
    expect((await getDocument({ "if-none-match": '"other"' })).statusCode).toBe(200);
  });
});
