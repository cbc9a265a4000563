import { randomUUID } from "node:crypto";
import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { get, stats } from "../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../support/functions.js";

/**
 * Every basket field the bank's create order documents reaches it (docs/create-order-options.md): from
 * the catalog on POST /orders and from the trusted basket on POST /merchant/orders,
 * `vat_percent`, `image`, `package_code`, `tin`, `pinfl` as given, and `total_price`
 * and `vat` computed here in minor units. The sandbox refuses a `total_price` that is
 * not the line's, so what it kept is what the bank would have been sent.
 */

const fx = useFunctions();

beforeAll(async () => {
  const Item = {
    productId: "sku-taxed",
    description: "Taxed kettle",
    unitPrice: 5900,
    currency: "GEL",
    image: "https://shop.example/kettle.jpg",
    vatPercent: "18",
    packageCode: "A000123",
    tin: "204566978",
    pinfl: "01001011234",
  };
  await fx.handlers().doc.send(new PutCommand({ TableName: fx.tables().catalog, Item }));
});

type SentLine = Record<string, unknown>;

const sentBasket = async (orderId: string) =>
  (
    (await get(fx.sandbox(), `/_sandbox/orders/${await bankOrderIdOf(fx, orderId)}/request`))
      .body as { basket: SentLine[] }
  ).basket;

const merchantCreate = (items: unknown[]) =>
  fx.merchant("POST /merchant/orders", {
    path: "/merchant/orders",
    body: { currency: "GEL", items },
    headers: { "idempotency-key": randomUUID() },
  });

async function storedOrders(): Promise<number> {
  const { Items } = await fx
    .handlers()
    .doc.send(new ScanCommand({ TableName: fx.tables().orders }));
  return Items?.length ?? 0;
}

describe("the catalog's basket fields (POST /orders)", () => {
  it("reach the bank with total_price and the VAT inside it", async () => {
    const answer = await fx.postOrder({ items: [{ productId: "sku-taxed", quantity: 2 }] });
    expect(answer.status).toBe(201);
    expect(await sentBasket(answer.body.orderId as string)).toEqual([
      {
        product_id: "sku-taxed",
        quantity: 2,
        unit_price: 59,
        unit_discount_price: 0,
        product_discount_id: null,
        // 118.00 with 18 % inside: 118 × 18 / 118 = 18.00.
        total_price: 118,
        vat: 18,
        vat_percent: 18,
        image: "https://shop.example/kettle.jpg",
        package_code: "A000123",
        tin: "204566978",
        pinfl: "01001011234",
      },
    ]);
  });
});

describe("the merchant basket's fields (POST /merchant/orders)", () => {
  it("reach the bank as given, with VAT to the tetri, half up", async () => {
    const answer = await merchantCreate([
      {
        productId: "mug",
        description: "Mug",
        quantity: 1,
        unitPrice: "10.00",
        vatPercent: "18",
        image: "https://shop.example/mug.png",
        packageCode: "P-1",
      },
      { productId: "tea", description: "Tea", quantity: 3, unitPrice: "1.00", tin: "123" },
    ]);
    expect(answer.status).toBe(201);
    const basket = await sentBasket(answer.body.orderId as string);
    // 10.00 × 18 / 118 = 1.5254… → 1.53
    expect(basket[0]).toMatchObject({
      total_price: 10,
      vat: 1.53,
      vat_percent: 18,
      image: "https://shop.example/mug.png",
      package_code: "P-1",
    });
    expect(basket[1]).toEqual({
      product_id: "tea",
      quantity: 3,
      unit_price: 1,
      unit_discount_price: 0,
      product_discount_id: null,
      total_price: 3,
      tin: "123",
    });
    const stored = await fx.handlers().orders.get(answer.body.orderId as string);
    expect(stored?.lines[0]?.details).toEqual({
      vatPercent: "18",
      image: "https://shop.example/mug.png",
      packageCode: "P-1",
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["vatPercent 101", { vatPercent: "101" }, "items.0.vatPercent"],
    ["vatPercent -1", { vatPercent: "-1" }, "items.0.vatPercent"],
    ["vatPercent 18.555", { vatPercent: "18.555" }, "items.0.vatPercent"],
    ["vatPercent as a number", { vatPercent: 18 }, "items.0.vatPercent"],
    ["an http image", { image: "http://shop.example/a.png" }, "items.0.image"],
    ["a packageCode of 65 characters", { packageCode: "p".repeat(65) }, "items.0.packageCode"],
    ["a tin with a line break", { tin: "12\n34" }, "items.0.tin"],
    ["a pinfl with a control character", { pinfl: "12\u000734" }, "items.0.pinfl"],
  ])("%s: 400 on its path, nothing stored, nothing sent", async (_case, extra, path) => {
    const before = { stored: await storedOrders(), sent: (await stats(fx.sandbox())).createOrder };
    const answer = await merchantCreate([
      { productId: "mug", description: "Mug", quantity: 1, unitPrice: "10.00", ...extra },
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "invalid_request", details: [{ path }] });
    expect(await storedOrders()).toBe(before.stored);
    expect((await stats(fx.sandbox())).createOrder).toBe(before.sent);
  });
});
