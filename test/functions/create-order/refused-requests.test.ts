import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_AMOUNT } from "../../../lib/money.js";
import { get, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";

const fx = useFunctions();

/** Priced at the largest amount, and one priced above it (imported before the bound). */
const EXPENSIVE = [
  { productId: "sku-gold", description: "Gold cup", unitPrice: MAX_AMOUNT, currency: "GEL" },
  {
    productId: "sku-legacy",
    description: "Priced at 90071992547409.91",
    unitPrice: Number.MAX_SAFE_INTEGER,
    currency: "GEL",
  },
];
beforeAll(async () => {
  for (const Item of EXPENSIVE) {
    await fx.handlers().doc.send(new PutCommand({ TableName: fx.tables().catalog, Item }));
  }
});
const item = (productId: string, quantity: unknown) => ({ productId, quantity });

async function storedItems(): Promise<number> {
  const { Items } = await fx
    .handlers()
    .doc.send(new ScanCommand({ TableName: fx.tables().orders }));
  return Items?.length ?? 0;
}

/** Each: a clear 4xx in the contract's error shape, nothing stored, no bank call. */
const BAD: Array<[string, string | unknown, number, string, Record<string, string>?]> = [
  ["non-JSON", "{items: [", 400, "invalid_request"],
  ["a JSON array", "[]", 400, "invalid_request"],
  ["JSON null", "null", 400, "invalid_request"],
  ["an empty body", "", 400, "invalid_request"],
  ["missing items", {}, 400, "invalid_request"],
  ["empty items", { items: [] }, 400, "invalid_request"],
  ["items not an array", { items: { productId: "sku-cup", quantity: 1 } }, 400, "invalid_request"],
  ["quantity 0", { items: [item("sku-cup", 0)] }, 400, "invalid_request"],
  ["negative quantity", { items: [item("sku-cup", -1)] }, 400, "invalid_request"],
  ["fractional quantity", { items: [item("sku-cup", 1.5)] }, 400, "invalid_request"],
  ["quantity as a string", { items: [item("sku-cup", "2")] }, 400, "invalid_request"],
  ["a huge quantity", { items: [item("sku-cup", 1e21)] }, 400, "invalid_request"],
  ["quantity over the limit", { items: [item("sku-cup", 1001)] }, 400, "invalid_request"],
  [
    "duplicates adding up over the limit",
    { items: [item("sku-cup", 600), item("sku-cup", 600)] },
    400,
    "invalid_request",
  ],
  ["missing productId", { items: [{ quantity: 1 }] }, 400, "invalid_request"],
  ["empty productId", { items: [item("", 1)] }, 400, "invalid_request"],
  ["productId not a string", { items: [item(42 as unknown as string, 1)] }, 400, "invalid_request"],
  [
    "a control character in productId",
    { items: [item("sku\u0000cup", 1)] },
    400,
    "invalid_request",
  ],
  ["an unknown product", { items: [item("sku-nope", 1)] }, 400, "unknown_product"],
  ["an inactive product", { items: [item("sku-retired", 1)] }, 400, "unknown_product"],
  [
    "mixed currencies",
    { items: [item("sku-cup", 1), item("sku-mug-usd", 1)] },
    400,
    "invalid_request",
  ],
  ["a zero total", { items: [item("sku-sticker", 1)] }, 400, "invalid_request"],
  ["a line above the largest amount", { items: [item("sku-gold", 2)] }, 400, "invalid_request"],
  [
    "a total above the largest amount",
    { items: [item("sku-gold", 1), item("sku-cup", 1)] },
    400,
    "invalid_request",
  ],
  ["a line past safe integers", { items: [item("sku-legacy", 1000)] }, 400, "invalid_request"],
  [
    "too many items",
    { items: Array.from({ length: 51 }, (_, i) => item(`sku-${i}`, 1)) },
    400,
    "invalid_request",
  ],
  [
    "an unknown payment method",
    { items: [item("sku-cup", 1)], paymentMethods: ["paypal"] },
    400,
    "invalid_request",
  ],
  [
    "empty payment methods",
    { items: [item("sku-cup", 1)], paymentMethods: [] },
    400,
    "invalid_request",
  ],
  ["an unknown locale", { items: [item("sku-cup", 1)], locale: "ru" }, 400, "invalid_request"],
  ["an unknown theme", { items: [item("sku-cup", 1)], theme: "blue" }, 400, "invalid_request"],
  ["an unknown capture", { items: [item("sku-cup", 1)], capture: "later" }, 400, "invalid_request"],
  ["ttl 1", { items: [item("sku-cup", 1)], ttlMinutes: 1 }, 400, "invalid_request"],
  ["ttl 1441", { items: [item("sku-cup", 1)], ttlMinutes: 1441 }, 400, "invalid_request"],
  ["a fractional ttl", { items: [item("sku-cup", 1)], ttlMinutes: 2.5 }, 400, "invalid_request"],
  [
    "a buyer that is not an object",
    { items: [item("sku-cup", 1)], buyer: "Nino" },
    400,
    "invalid_request",
  ],
  [
    "a buyer name too long",
    { items: [item("sku-cup", 1)], buyer: { fullName: "x".repeat(101) } },
    400,
    "invalid_request",
  ],
  [
    "__proto__ at the top",
    '{"items":[{"productId":"sku-cup","quantity":1}],"__proto__":{"admin":true}}',
    400,
    "invalid_request",
  ],
  [
    "__proto__ in an item",
    '{"items":[{"productId":"sku-cup","quantity":1,"__proto__":{"x":1}}]}',
    400,
    "invalid_request",
  ],
  [
    "constructor.prototype",
    '{"items":[{"productId":"sku-cup","quantity":1}],"constructor":{"prototype":{"x":1}}}',
    400,
    "invalid_request",
  ],
  [
    "a malformed Idempotency-Key",
    { items: [item("sku-cup", 1)] },
    400,
    "invalid_request",
    { "idempotency-key": "abc" },
  ],
  [
    "a UUID v1 Idempotency-Key",
    { items: [item("sku-cup", 1)] },
    400,
    "invalid_request",
    { "idempotency-key": "2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d" },
  ],
  ["a text body", "items=1", 415, "unsupported_media_type", { "content-type": "text/plain" }],
  [
    "a form body",
    "items=1",
    415,
    "unsupported_media_type",
    { "content-type": "application/x-www-form-urlencoded" },
  ],
  ["no content type", "{}", 415, "unsupported_media_type", { "content-type": "" }],
  [
    "a body over 64 KiB",
    JSON.stringify({ items: [item("sku-cup", 1)], pad: "x".repeat(64 * 1024) }),
    413,
    "payload_too_large",
  ],
];

describe("POST /orders refuses bad input", () => {
  it.each(
    BAD.map(
      ([name, ...rest]) => [`${name} → ${rest[1]} ${rest[2]}`, ...rest] as (typeof BAD)[number],
    ),
  )("%s", async (_case, body, status, code, headers) => {
    const before = await stats(fx.sandbox());
    const items = await storedItems();
    const answer = await fx.postOrder(body, headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({
      error: expect.objectContaining({ code, message: expect.any(String) }),
    });
    expect(
      Object.keys(answer.body.error as object).every((k) =>
        ["code", "message", "details"].includes(k),
      ),
    ).toBe(true);
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
    expect(await storedItems()).toBe(items);
  });

  it("names each problem with its path", async () => {
    const answer = await fx.postOrder({
      items: [item("sku-cup", 0), item("", 1)],
      ttlMinutes: 9999,
    });
    expect(answer.body.error).toMatchObject({
      code: "invalid_request",
      details: expect.arrayContaining([
        { path: "items.0.quantity", message: "quantity must be an integer >= 1" },
        { path: "items.1.productId", message: "productId must not be empty" },
        { path: "ttlMinutes", message: "ttlMinutes must be from 2 to 1440" },
      ]),
    });
  });

  it("names the unknown products", async () => {
    const answer = await fx.postOrder({ items: [item("sku-cup", 1), item("sku-nope", 1)] });
    expect(answer.body.error).toEqual({
      code: "unknown_product",
      message: "unknown or unavailable product: sku-nope",
      details: [{ path: "items.1.productId", message: "not in the catalog, or not for sale" }],
    });
  });

  it("names the line, or the total, that is above the largest amount", async () => {
    const line = await fx.postOrder({ items: [item("sku-cup", 1), item("sku-gold", 2)] });
    expect(line.body.error).toEqual({
      code: "invalid_request",
      message: "a line's total is above the largest amount, 999999999.99 GEL",
      details: [
        {
          path: "items.1.quantity",
          message: "sku-gold: unit price × quantity must be at most 999999999.99 GEL",
        },
      ],
    });
    const total = await fx.postOrder({ items: [item("sku-gold", 1), item("sku-cup", 1)] });
    expect(total.body.error).toEqual({
      code: "invalid_request",
      message: "the order's total is above the largest amount, 999999999.99 GEL",
      details: [
        {
          path: "items",
          message: "the total, delivery included, must be at most 999999999.99 GEL",
        },
      ],
    });
  });

  it("takes an order of exactly the largest amount, and the bank gets it exactly", async () => {
    const answer = await fx.postOrder({ items: [item("sku-gold", 1)] });
    expect(answer.status).toBe(201);
    expect(answer.body.amount).toBe("999999999.99");
    const bankOrderId = await bankOrderIdOf(fx, answer.body.orderId as string);
    const receipt = await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`);
    expect(receipt.body).toMatchObject({
      purchase_units: {
        request_amount: "999999999.99",
        items: [{ external_item_id: "sku-gold", unit_price: "999999999.99" }],
      },
    });
  });

  it("accepts a base64-encoded body, as API Gateway sends some", async () => {
    const event = {
      items: [item("sku-cup", 1)],
    };
    const raw = Buffer.from(JSON.stringify(event)).toString("base64");
    const { apiEvent } = await import("../../support/functions.js");
    const { lambdaContext } = await import("../../../local/lambda-events.js");
    const result = await fx.handlers().createOrder(
      apiEvent({
        method: "POST",
        path: "/orders",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: raw,
        isBase64Encoded: true,
      }),
      lambdaContext("create-order"),
    );
    expect(result.statusCode).toBe(201);
  });

  it("fuzz: never a 5xx, and never a bank call unless the body is valid", async () => {
    const productIds = [
      "sku-cup",
      "sku-beans",
      "sku-mug-usd",
      "sku-retired",
      "sku-sticker",
      "nope",
      "",
    ];
    const anyItem = fc.record(
      {
        productId: fc.oneof(fc.constantFrom(...productIds), fc.string(), fc.integer()),
        quantity: fc.oneof(
          fc.integer({ min: -5, max: 1200 }),
          fc.double(),
          fc.string(),
          fc.constant(null),
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          items: fc.oneof(fc.array(anyItem, { maxLength: 4 }), fc.jsonValue()),
          locale: fc.oneof(fc.constantFrom("ka", "en", "de"), fc.jsonValue()),
          ttlMinutes: fc.oneof(fc.integer({ min: -10, max: 2000 }), fc.jsonValue()),
          paymentMethods: fc.oneof(
            fc.array(fc.constantFrom("card", "google_pay", "cash")),
            fc.jsonValue(),
          ),
          buyer: fc.jsonValue(),
          price: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const before = (await stats(fx.sandbox())).createOrder;
        const answer = await fx.postOrder(JSON.stringify(value));
        expect(answer.status).toBeLessThan(500);
        const bankCalls = (await stats(fx.sandbox())).createOrder - before;
        expect(bankCalls).toBe(answer.status === 201 ? 1 : 0);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
