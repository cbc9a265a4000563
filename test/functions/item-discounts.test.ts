import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { get, stats } from "../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../support/functions.js";

/**
 * Per-item discounts (docs/create-order-options.md): the catalog's `unitDiscount` / `discountId` and the
 * same on merchant orders reach the bank as `unit_discount_price` /
 * `product_discount_id`, and the totals are computed with them. The discounted
 * products live in this file's catalog only, so that GET /products elsewhere is as it was.
 */

const fx = useFunctions();

beforeAll(async () => {
  const items = [
    // 12.50 with 2.50 off each unit, and a promotion registered at the bank.
    {
      productId: "sku-sale",
      description: "Cup on sale",
      unitPrice: 1250,
      unitDiscount: 250,
      discountId: "BF222R5",
      currency: "GEL",
    },
    {
      productId: "sku-gift",
      description: "Gift",
      unitPrice: 500,
      unitDiscount: 500,
      currency: "GEL",
    },
    // Written around the import's checks: a discount above its price is no product.
    {
      productId: "sku-broken",
      description: "Broken",
      unitPrice: 100,
      unitDiscount: 200,
      currency: "GEL",
    },
  ];
  for (const Item of items) {
    await fx.handlers().doc.send(new PutCommand({ TableName: fx.tables().catalog, Item }));
  }
});

type Line = {
  product_id: string;
  unit_price: number;
  unit_discount_price: number;
  product_discount_id: string | null;
};

/** What the sandbox kept of our create-order request. */
async function bankRequestOf(bankOrderId: string) {
  const answer = await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/request`);
  expect(answer.status).toBe(200);
  return answer.body as { basket: Line[]; total_discount_amount: number | null };
}

async function receiptOf(bankOrderId: string) {
  return (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body as {
    purchase_units: { request_amount: string };
  };
}

const key = () => ({ "idempotency-key": randomUUID() });

function merchantCreate(body: unknown) {
  return fx.merchant("POST /merchant/orders", { path: "/merchant/orders", body, headers: key() });
}

function merchantShow(orderId: string) {
  return fx.merchant("GET /merchant/orders/{orderId}", {
    path: `/merchant/orders/${orderId}`,
    pathParameters: { orderId },
  });
}

describe("per-item discounts from the catalog (POST /orders)", () => {
  it("GET /products shows the discount beside the price, null where there is none", async () => {
    const { body } = await fx.listProducts();
    const products = body.products as Array<Record<string, unknown>>;
    expect(products.find((p) => p.productId === "sku-sale")).toEqual({
      productId: "sku-sale",
      description: "Cup on sale",
      unitPrice: "12.50",
      unitDiscount: "2.50",
      currency: "GEL",
      image: null,
    });
    expect(products.find((p) => p.productId === "sku-cup")?.unitDiscount).toBeNull();
    expect(products.map((p) => p.productId)).not.toContain("sku-broken");
  });

  it("201 with the discounted total; the bank gets unit_discount_price and product_discount_id per line", async () => {
    const { status, body } = await fx.postOrder({
      items: [
        { productId: "sku-sale", quantity: 3 },
        { productId: "sku-cup", quantity: 1 },
      ],
    });
    expect(status).toBe(201);
    // 3 × (12.50 − 2.50) + 12.50
    expect(body).toMatchObject({ status: "created", amount: "42.50", currency: "GEL" });
    const bankOrderId = await bankOrderIdOf(fx, body.orderId as string);
    const request = await bankRequestOf(bankOrderId);
    expect(request.basket).toEqual([
      {
        product_id: "sku-sale",
        quantity: 3,
        unit_price: 12.5,
        unit_discount_price: 2.5,
        product_discount_id: "BF222R5",
        total_price: 30,
      },
      {
        product_id: "sku-cup",
        quantity: 1,
        unit_price: 12.5,
        unit_discount_price: 0,
        product_discount_id: null,
        total_price: 12.5,
        // The catalog's image goes to the bank's basket line too.
        image: "https://shop.example/cup.jpg",
      },
    ]);
    // The basket's discounts: 3 × 2.50.
    expect(request.total_discount_amount).toBe(7.5);
    expect(Number((await receiptOf(bankOrderId)).purchase_units.request_amount)).toBe(42.5);
    const stored = await fx.handlers().orders.get(body.orderId as string);
    expect(stored?.lines.map((l) => [l.unitDiscount, l.discountId, l.lineTotal])).toEqual([
      [250, "BF222R5", 3000],
      [0, null, 1250],
    ]);
  });

  it("a buyer's own discount is never used: the catalog's price stands", async () => {
    const { status, body } = await fx.postOrder({
      items: [{ productId: "sku-cup", quantity: 1, unitDiscount: "12.00", discountId: "FREE" }],
    });
    expect(status).toBe(201);
    expect(body.amount).toBe("12.50");
    const request = await bankRequestOf(await bankOrderIdOf(fx, body.orderId as string));
    expect(request.basket[0]).toMatchObject({ unit_discount_price: 0, product_discount_id: null });
  });

  it("a basket discounted to nothing is 400, and nothing reaches the bank", async () => {
    const before = await stats(fx.sandbox());
    const { status, body } = await fx.postOrder({
      items: [{ productId: "sku-gift", quantity: 2 }],
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "invalid_request" } });
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
  });

  it("a stored product whose discount is above its price is not for sale", async () => {
    const before = await stats(fx.sandbox());
    const { status, body } = await fx.postOrder({
      items: [{ productId: "sku-broken", quantity: 1 }],
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: "unknown_product" } });
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
  });
});

describe("per-item discounts on POST /merchant/orders", () => {
  const BASKET = {
    reference: "shop-discounts-1",
    currency: "GEL",
    items: [
      {
        productId: "mug",
        description: "Mug",
        quantity: 2,
        unitPrice: "10.00",
        unitDiscount: "1.50",
        discountId: "MUG-SPRING",
      },
      { productId: "tea", description: "Tea", quantity: 1, unitPrice: "5.00" },
    ],
  };

  it("201 with the discounted total; the order shows the discounts; the bank gets them", async () => {
    const created = await merchantCreate({ ...BASKET, delivery: "3.00" });
    expect(created.status).toBe(201);
    // 2 × (10.00 − 1.50) + 5.00 + 3.00
    expect(created.body).toMatchObject({ amount: "25.00", currency: "GEL" });
    const detail = await merchantShow(created.body.orderId as string);
    expect(detail.body.items).toEqual([
      {
        productId: "mug",
        description: "Mug",
        quantity: 2,
        unitPrice: "10.00",
        unitDiscount: "1.50",
        discountId: "MUG-SPRING",
        lineTotal: "17.00",
      },
      {
        productId: "tea",
        description: "Tea",
        quantity: 1,
        unitPrice: "5.00",
        unitDiscount: null,
        discountId: null,
        lineTotal: "5.00",
      },
    ]);
    const bankOrderId = detail.body.bankOrderId as string;
    const request = await bankRequestOf(bankOrderId);
    expect(request.basket).toEqual([
      {
        product_id: "mug",
        quantity: 2,
        unit_price: 10,
        unit_discount_price: 1.5,
        product_discount_id: "MUG-SPRING",
        total_price: 17,
      },
      {
        product_id: "tea",
        quantity: 1,
        unit_price: 5,
        unit_discount_price: 0,
        product_discount_id: null,
        total_price: 5,
      },
    ]);
    expect(request.total_discount_amount).toBe(3);
    expect(Number((await receiptOf(bankOrderId)).purchase_units.request_amount)).toBe(25);
  });

  it("a discount of the whole price is taken: that line costs nothing", async () => {
    const created = await merchantCreate({
      ...BASKET,
      items: [{ ...BASKET.items[0], unitDiscount: "10.00" }, BASKET.items[1]],
    });
    expect(created.status).toBe(201);
    expect(created.body.amount).toBe("5.00");
  });

  it("the same basket with its discount written otherwise is the same request", async () => {
    const headers = key();
    const first = await fx.merchant("POST /merchant/orders", {
      path: "/merchant/orders",
      body: BASKET,
      headers,
    });
    const again = await fx.merchant("POST /merchant/orders", {
      path: "/merchant/orders",
      body: { ...BASKET, items: [{ ...BASKET.items[0], unitDiscount: "1.5" }, BASKET.items[1]] },
      headers,
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.orderId).toBe(first.body.orderId);
  });

  it.each([
    ["a discount above the price", { unitDiscount: "10.01" }, "items.0.unitDiscount"],
    ["a discount with three decimals", { unitDiscount: "1.005" }, "items.0.unitDiscount"],
    ["a discount as a JSON number", { unitDiscount: 1.5 }, "items.0.unitDiscount"],
    ["a negative discount", { unitDiscount: "-1.00" }, "items.0.unitDiscount"],
    ["a discount id of 65 characters", { discountId: "D".repeat(65) }, "items.0.discountId"],
    ["an empty discount id", { discountId: "" }, "items.0.discountId"],
    ["a discount id with a control character", { discountId: "A\u0007" }, "items.0.discountId"],
    ["a discount id as a number", { discountId: 7 }, "items.0.discountId"],
  ])(
    "refuses %s: 400 with the item's path, and nothing reaches the bank",
    async (_case, fields, path) => {
      const before = await stats(fx.sandbox());
      const answer = await merchantCreate({
        ...BASKET,
        items: [{ ...BASKET.items[0], ...fields }, BASKET.items[1]],
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "invalid_request" } });
      const details = (answer.body.error as { details: Array<{ path: string }> }).details;
      expect(details.map((d) => d.path)).toEqual([path]);
      expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
    },
  );
});
