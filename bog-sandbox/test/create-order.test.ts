import { describe, expect, it } from "vitest";
import { createOrder, get, post, stats, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox } = useSandbox();
const CALLBACK = "https://shop.example/callback";

type Body = ReturnType<typeof validOrder>;
const withUnits = (units: Record<string, unknown>) => (b: Body) => ({
  ...b,
  purchase_units: { ...b.purchase_units, ...units },
});
const withItem = (item: Record<string, unknown>) => (b: Body) => ({
  ...b,
  purchase_units: {
    ...b.purchase_units,
    total_amount: 12.5,
    basket: [{ product_id: "sku-cup", quantity: 1, unit_price: 12.5, ...item }],
  },
});

describe("sandbox create order", () => {
  it("creates an order and answers id and _links", async () => {
    const accessToken = await token(sandbox());
    const { status, body } = await createOrder(sandbox(), accessToken, validOrder(CALLBACK));
    expect(status).toBe(200);
    const id = body.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body._links).toEqual({
      details: { href: `${sandbox().url}/payments/v1/receipt/${id}` },
      redirect: { href: `${sandbox().url}/?order_id=${id}` },
    });
    expect((await stats(sandbox())).ordersCreated).toBe(1);
  });

  it.each([
    [
      "no callback_url",
      (b: Body) => ({ ...b, callback_url: undefined }),
      "callback_url is required",
    ],
    [
      "plain http callback_url",
      (b: Body) => ({ ...b, callback_url: "http://shop.example/cb" }),
      "callback_url must be HTTPS",
    ],
    [
      "relative callback_url",
      (b: Body) => ({ ...b, callback_url: "/callback" }),
      "callback_url must be an absolute URL",
    ],
    [
      "ftp callback_url",
      (b: Body) => ({ ...b, callback_url: "ftp://shop.example/cb" }),
      "callback_url must be HTTPS",
    ],
    [
      "no purchase_units",
      (b: Body) => ({ ...b, purchase_units: undefined }),
      "purchase_units is required",
    ],
    [
      "empty basket",
      withUnits({ basket: [] }),
      "purchase_units.basket is required and must not be empty",
    ],
    [
      "basket not an array",
      withUnits({ basket: { product_id: "x" } }),
      "purchase_units.basket is required",
    ],
    ["no total", withUnits({ total_amount: undefined }), "purchase_units.total_amount is required"],
    [
      "total as a string",
      withUnits({ total_amount: "28.00" }),
      "purchase_units.total_amount must be a number",
    ],
    [
      "total of zero",
      withUnits({ total_amount: 0 }),
      "purchase_units.total_amount must be greater than 0",
    ],
    [
      "total that does not match the basket",
      withUnits({ total_amount: 27.99 }),
      "expected 28.00, got 27.99 (a sandbox reading",
    ],
    [
      "negative total",
      withUnits({ total_amount: -28 }),
      "purchase_units.total_amount must be >= 0",
    ],
    [
      "unknown currency",
      withUnits({ currency: "RUB" }),
      "purchase_units.currency must be one of GEL, USD, EUR, GBP",
    ],
    [
      "lower-case currency",
      withUnits({ currency: "gel" }),
      "purchase_units.currency must be one of",
    ],
    ["quantity 0", withItem({ quantity: 0 }), "purchase_units.basket[0].quantity must be >= 1"],
    [
      "negative quantity",
      withItem({ quantity: -1 }),
      "purchase_units.basket[0].quantity must be >= 1",
    ],
    ["fractional quantity", withItem({ quantity: 1.5 }), "quantity must be a whole number"],
    [
      "quantity as a string",
      withItem({ quantity: "1" }),
      "purchase_units.basket[0].quantity is required and must be a number",
    ],
    [
      "missing quantity",
      withItem({ quantity: undefined }),
      "purchase_units.basket[0].quantity is required",
    ],
    [
      "missing product_id",
      withItem({ product_id: undefined }),
      "purchase_units.basket[0].product_id is required",
    ],
    [
      "empty product_id",
      withItem({ product_id: " " }),
      "purchase_units.basket[0].product_id is required",
    ],
    [
      "missing unit_price",
      withItem({ unit_price: undefined }),
      "purchase_units.basket[0].unit_price is required",
    ],
    [
      "negative unit_price",
      withItem({ unit_price: -1 }),
      "purchase_units.basket[0].unit_price must be >= 0",
    ],
    [
      "unit_price with three decimals",
      withItem({ unit_price: 12.505 }),
      "must have at most two decimal places",
    ],
    [
      "discount above the price",
      withItem({ unit_discount_price: 13 }),
      "unit_discount_price must not exceed unit_price",
    ],
    [
      "item total_price that does not match",
      withItem({ total_price: 10 }),
      "total_price must equal",
    ],
    [
      "basket item not an object",
      withUnits({ basket: ["sku"] }),
      "purchase_units.basket[0] must be an object",
    ],
    ["ttl 1", (b: Body) => ({ ...b, ttl: 1 }), "ttl must be a number of minutes from 2 to 1440"],
    [
      "ttl 1441",
      (b: Body) => ({ ...b, ttl: 1441 }),
      "ttl must be a number of minutes from 2 to 1440",
    ],
    ["fractional ttl", (b: Body) => ({ ...b, ttl: 2.5 }), "ttl must be a whole number"],
    [
      "unknown payment method",
      (b: Body) => ({ ...b, payment_method: ["card", "paypal"] }),
      "payment_method[1] must be one of",
    ],
    [
      "payment_method not an array",
      (b: Body) => ({ ...b, payment_method: "card" }),
      "payment_method must be an array",
    ],
    [
      "unknown capture",
      (b: Body) => ({ ...b, capture: "later" }),
      "capture must be one of automatic, manual",
    ],
    [
      "unknown application_type",
      (b: Body) => ({ ...b, application_type: "desktop" }),
      "application_type must be one of web, mobile",
    ],
    ["buyer not an object", (b: Body) => ({ ...b, buyer: "John" }), "buyer must be an object"],
    [
      "buyer name not a string",
      (b: Body) => ({ ...b, buyer: { full_name: 5 } }),
      "buyer.full_name must be a string",
    ],
    [
      "redirect URL not a URL",
      (b: Body) => ({ ...b, redirect_urls: { success: "nope" } }),
      "redirect_urls.success must be an absolute URL",
    ],
    [
      "javascript: redirect URL",
      (b: Body) => ({ ...b, redirect_urls: { fail: "javascript:alert(1)" } }),
      "redirect_urls.fail must be an http(s) URL",
    ],
  ])("400 for %s", async (_case, change, message) => {
    const accessToken = await token(sandbox());
    const { status, body } = await createOrder(
      sandbox(),
      accessToken,
      change(validOrder(CALLBACK)),
    );
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(["message"]);
    expect(body.message).toContain(message);
    expect((await stats(sandbox())).ordersCreated).toBe(0);
  });

  it("reports every problem at once, each with its path", async () => {
    const accessToken = await token(sandbox());
    const { body } = await createOrder(sandbox(), accessToken, {
      ttl: 0,
      capture: "x",
      purchase_units: { basket: [] },
    });
    expect(body.message).toContain("callback_url is required");
    expect(body.message).toContain("purchase_units.basket");
    expect(body.message).toContain("ttl must be");
    expect(body.message).toContain("capture must be");
  });

  it.each([
    ["http on 127.0.0.1", "http://127.0.0.1:3000/callback"],
    ["http on localhost", "http://localhost:3000/callback"],
    ["http on [::1]", "http://[::1]:3000/callback"],
  ])("accepts plain %s (loopback)", async (_case, url) => {
    const accessToken = await token(sandbox());
    expect((await createOrder(sandbox(), accessToken, validOrder(url))).status).toBe(200);
  });

  it("accepts discounts and delivery in the total, and every documented field", async () => {
    const accessToken = await token(sandbox());
    const body = {
      callback_url: CALLBACK,
      application_type: "web",
      capture: "automatic",
      ttl: 1440,
      payment_method: [
        "card",
        "google_pay",
        "apple_pay",
        "bog_p2p",
        "bog_loyalty",
        "bnpl",
        "bog_loan",
        "gift_card",
      ],
      buyer: { full_name: "Nino", masked_email: "n***@example.ge", masked_phone: "+99555***000" },
      purchase_units: {
        currency: "USD",
        total_amount: 20.3,
        delivery: { amount: 5 },
        basket: [
          {
            product_id: "a",
            quantity: 3,
            unit_price: 5.5,
            unit_discount_price: 0.4,
            total_price: 15.3,
            vat: 0,
            vat_percent: 18,
          },
        ],
      },
      config: { account: { tag: "shop" } },
      some_future_field: true,
    };
    const { status } = await createOrder(sandbox(), accessToken, body, {
      "accept-language": "en",
      theme: "dark",
    });
    expect(status).toBe(200);
  });

  it("total_discount_amount, when given, is the basket's discounts (a sandbox reading)", async () => {
    const accessToken = await token(sandbox());
    const body = (totalDiscount: number) =>
      validOrder(CALLBACK, {
        purchase_units: {
          total_amount: 26,
          total_discount_amount: totalDiscount,
          basket: [
            { product_id: "a", quantity: 2, unit_price: 12.5, unit_discount_price: 1 },
            { product_id: "b", quantity: 1, unit_price: 3 },
          ],
        },
      });
    expect((await createOrder(sandbox(), accessToken, body(2))).status).toBe(200);
    const wrong = await createOrder(sandbox(), accessToken, body(10));
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain(
      "purchase_units.total_discount_amount must equal the basket's discounts (quantity × unit_discount_price): expected 2.00, got 10.00",
    );
  });

  it("takes Accept-Language * (what Node's fetch sends) as the default, Georgian", async () => {
    const accessToken = await token(sandbox());
    const created = await createOrder(sandbox(), accessToken, validOrder(CALLBACK), {
      "accept-language": "*",
    });
    expect(created.status).toBe(200);
    const receipt = await get(sandbox(), `/payments/v1/receipt/${created.body.id}`, {
      authorization: `Bearer ${accessToken}`,
    });
    expect(receipt.body.lang).toBe("ka");
  });

  it.each([
    [
      "Accept-Language",
      { "accept-language": "de" },
      "header Accept-Language must be one of ka, en",
    ],
    ["Theme", { theme: "blue" }, "header Theme must be one of light, dark"],
  ])("400 for an unknown %s header", async (_case, headers, message) => {
    const accessToken = await token(sandbox());
    const { status, body } = await createOrder(
      sandbox(),
      accessToken,
      validOrder(CALLBACK),
      headers,
    );
    expect(status).toBe(400);
    expect(body.message).toContain(message);
  });

  it.each([
    ["malformed JSON", "{", "application/json", 400, "Malformed JSON request body"],
    ["a JSON array", "[]", "application/json", 400, "the request body must be a JSON object"],
    ["JSON null", "null", "application/json", 400, "the request body must be a JSON object"],
    [
      "a form body",
      "callback_url=x",
      "application/x-www-form-urlencoded",
      415,
      "Content-Type must be application/json",
    ],
  ])("rejects %s", async (_case, raw, contentType, status, message) => {
    const accessToken = await token(sandbox());
    const answer = await createOrder(sandbox(), accessToken, raw, { "content-type": contentType });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ message });
  });

  it("413 for a body over 1 MiB", async () => {
    const accessToken = await token(sandbox());
    const answer = await createOrder(sandbox(), accessToken, {
      padding: "x".repeat(1024 * 1024 + 1),
    });
    expect(answer.status).toBe(413);
  });

  it.each([
    ["no Authorization", {}],
    ["a Basic header", { authorization: "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ=" }],
    ["a malformed Bearer", { authorization: "Bearer not-a-jwt" }],
    ["a forged JWT", { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJleHAiOjk5OTk5OTk5OTl9.c2ln" }],
  ])("401 with %s", async (_case, headers) => {
    const { status, body } = await post(
      sandbox(),
      "/payments/v1/ecommerce/orders",
      validOrder(CALLBACK),
      headers,
    );
    expect(status).toBe(401);
    expect(typeof body.message).toBe("string");
    expect((await stats(sandbox())).ordersCreated).toBe(0);
  });

  it("401 once the token has expired, and for a token issued before a reset", async () => {
    const accessToken = await token(sandbox());
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 301 });
    const expired = await createOrder(sandbox(), accessToken, validOrder(CALLBACK));
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe("Token expired");

    const fresh = await token(sandbox());
    await post(sandbox(), "/_sandbox/reset", {});
    expect((await createOrder(sandbox(), fresh, validOrder(CALLBACK))).status).toBe(401);
  });

  it("replays the same status and body for a repeated Idempotency-Key", async () => {
    const accessToken = await token(sandbox());
    const key = "5f0b9a3e-8a6f-4c1e-9d53-2a6b1c0e7f11";
    const first = await createOrder(sandbox(), accessToken, validOrder(CALLBACK), {
      "idempotency-key": key,
    });
    const second = await createOrder(sandbox(), accessToken, validOrder(CALLBACK), {
      "idempotency-key": key,
    });
    // The bank replays without looking at the new body.
    const changed = await createOrder(sandbox(), accessToken, validOrder(CALLBACK, { ttl: 30 }), {
      "idempotency-key": key,
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(changed.text).toBe(first.text);
    const other = await createOrder(sandbox(), accessToken, validOrder(CALLBACK), {
      "idempotency-key": "0d6c8a52-3b7e-4f7a-a1d2-9c4e5b6a7d80",
    });
    expect(other.body.id).not.toBe(first.body.id);
    const counted = await stats(sandbox());
    expect(counted.createOrder).toBe(4);
    expect(counted.ordersCreated).toBe(2);
  });

  it("replays a refusal too, as the bank says it does", async () => {
    const accessToken = await token(sandbox());
    const key = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    const bad = validOrder(CALLBACK, { ttl: 1 });
    const first = await createOrder(sandbox(), accessToken, bad, { "idempotency-key": key });
    const second = await createOrder(sandbox(), accessToken, validOrder(CALLBACK), {
      "idempotency-key": key,
    });
    expect(first.status).toBe(400);
    expect(second.status).toBe(400);
    expect(second.text).toBe(first.text);
  });

  it.each(["not-a-uuid", "5f0b9a3e-8a6f-1c1e-9d53-2a6b1c0e7f11", ""])(
    "400 for Idempotency-Key %j that is not a UUID v4",
    async (key) => {
      const accessToken = await token(sandbox());
      const { status, body } = await createOrder(sandbox(), accessToken, validOrder(CALLBACK), {
        "idempotency-key": key,
      });
      expect(status).toBe(400);
      expect((await stats(sandbox())).ordersCreated).toBe(0);
      expect(body.message).toBe("Idempotency-Key must be a UUID v4");
    },
  );

  it("404 and 405 in the bank's shape for unknown paths and methods", async () => {
    expect((await get(sandbox(), "/payments/v1/nothing")).status).toBe(404);
    const wrongMethod = await get(sandbox(), "/payments/v1/ecommerce/orders");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body).toEqual({ message: "Method not allowed" });
  });
});
