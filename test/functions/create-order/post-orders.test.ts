import { randomUUID } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, SHOP, useFunctions } from "../../support/functions.js";

const fx = useFunctions();
let KEY = "";
beforeEach(() => {
  KEY = randomUUID();
});

async function bankOrder(bankOrderId: string) {
  return (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
}

describe("POST /orders", () => {
  it("answers 201 with the order, priced from the catalog", async () => {
    const before = Date.now();
    const { status, body, headers } = await fx.postOrder({
      items: [
        { productId: "sku-cup", quantity: 2 },
        { productId: "sku-beans", quantity: 1 },
      ],
      locale: "en",
    });
    expect(status).toBe(201);
    expect(headers["content-type"]).toBe("application/json");
    expect(body).toEqual({
      orderId: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      status: "created",
      amount: "43.00",
      currency: "GEL",
      redirectUrl: expect.stringMatching(new RegExp(`^${fx.sandbox().url}/\\?order_id=`)),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const expires = Date.parse(body.expiresAt as string);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 15 * 60_000);
  });

  it("sends the bank exactly the catalog's basket, our ids and the configured URLs", async () => {
    const { body } = await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 3 }], ttlMinutes: 30, paymentMethods: ["card"] },
      { "idempotency-key": KEY },
    );
    const orderId = body.orderId as string;
    const receipt = await bankOrder(await bankOrderIdOf(fx, orderId));
    expect(receipt).toMatchObject({
      external_order_id: orderId,
      purchase_units: {
        request_amount: "37.5",
        currency_code: "GEL",
        items: [
          {
            external_item_id: "sku-cup",
            description: "Espresso cup",
            quantity: "3",
            unit_price: "12.5",
          },
        ],
      },
      redirect_links: {
        success: `${SHOP}/result?order=${orderId}&outcome=success`,
        fail: `${SHOP}/result?order=${orderId}&outcome=fail`,
      },
    });
    expect(
      Date.parse(receipt.zoned_expire_date as string) -
        Date.parse(receipt.zoned_create_date as string),
    ).toBe(30 * 60_000);
  });

  it("never uses a price from the request", async () => {
    const { status, body } = await fx.postOrder({
      items: [
        { productId: "sku-cup", quantity: 1, unitPrice: "0.01", price: 0.01, amount: "0.01" },
      ],
      amount: "0.01",
      total: 0.01,
      currency: "USD",
      unitPrice: "0.01",
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ amount: "12.50", currency: "GEL" });
    const receipt = await bankOrder(await bankOrderIdOf(fx, body.orderId as string));
    expect(receipt).toMatchObject({
      purchase_units: { request_amount: "12.5", currency_code: "GEL" },
    });
  });

  it("merges the same product given twice", async () => {
    const { body } = await fx.postOrder({
      items: [
        { productId: "sku-cup", quantity: 1 },
        { productId: "sku-cup", quantity: 2 },
      ],
    });
    expect(body.amount).toBe("37.50");
    const receipt = await bankOrder(await bankOrderIdOf(fx, body.orderId as string));
    expect((receipt.purchase_units as { items: unknown[] }).items).toHaveLength(1);
  });

  it("with a warm token: one bank request and at most three DynamoDB requests", async () => {
    await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] }); // warms this container's token
    fx.counters.createOrder.reset();
    const before = await stats(fx.sandbox());
    const { status } = await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 1 }] },
      { "idempotency-key": KEY },
    );
    expect(status).toBe(201);
    const after = await stats(fx.sandbox());
    expect(after.createOrder - before.createOrder).toBe(1);
    expect(after.token - before.token).toBe(0);
    expect(fx.counters.createOrder.calls).toEqual([
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
      "UpdateItemCommand",
    ]);
  });

  it("the same Idempotency-Key and body: the same order, one bank order, no bank call on replay", async () => {
    const body = { items: [{ productId: "sku-beans", quantity: 2 }], locale: "ka" };
    const first = await fx.postOrder(body, { "idempotency-key": KEY });
    const before = await stats(fx.sandbox());
    fx.counters.createOrder.reset();
    // Same request, other key order and spacing: the same request.
    const second = await fx.postOrder(
      `{ "locale": "ka",  "items": [ {"quantity": 2, "productId": "sku-beans"} ] }`,
      {
        "idempotency-key": KEY.toUpperCase(),
      },
    );
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const after = await stats(fx.sandbox());
    expect(after.createOrder - before.createOrder).toBe(0);
    expect(after.ordersCreated).toBe(1);
    expect(fx.counters.createOrder.total).toBeLessThanOrEqual(3);
  });

  it("the same Idempotency-Key with another body: 409, and nothing new", async () => {
    await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 1 }] },
      { "idempotency-key": KEY },
    );
    const conflict = await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 2 }] },
      { "idempotency-key": KEY },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      error: {
        code: "idempotency_conflict",
        message: "this Idempotency-Key was used with a different request",
      },
    });
    expect((await stats(fx.sandbox())).ordersCreated).toBe(1);
  });

  it("the same Idempotency-Key, same items, another presentation: 409", async () => {
    const items = [{ productId: "sku-cup", quantity: 1 }];
    await fx.postOrder({ items, locale: "ka" }, { "idempotency-key": KEY });
    const conflict = await fx.postOrder({ items, locale: "en" }, { "idempotency-key": KEY });
    expect(conflict.status).toBe(409);
    expect((conflict.body.error as { code: string }).code).toBe("idempotency_conflict");
    expect((await stats(fx.sandbox())).ordersCreated).toBe(1);
  });

  it("a retry of an order the bank never made, too close to its expiry: 409, no bank order", async () => {
    const body = { items: [{ productId: "sku-cup", quantity: 1 }] };
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 50 });
    expect((await fx.postOrder(body, { "idempotency-key": KEY })).status).toBe(503);
    fx.sandbox().bank.faults.clear();
    const { Item } = await fx
      .handlers()
      .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `idem#${KEY}` } }));
    const orderId = Item?.orderId as string;
    // The stranded order has one minute left, as if its first attempt were 14 minutes ago.
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: { pk: `order#${orderId}` },
        UpdateExpression: "SET expiresAt = :soon",
        ExpressionAttributeValues: { ":soon": new Date(Date.now() + 60_000).toISOString() },
      }),
    );
    const before = await stats(fx.sandbox());
    const retry = await fx.postOrder(body, { "idempotency-key": KEY });
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual({
      error: {
        code: "idempotency_conflict",
        message: "this order has expired; start a new one with a new key",
      },
    });
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("pending");
  });

  it("recording the bank's order never moves back a status the bank's word already moved", async () => {
    const body = { items: [{ productId: "sku-cup", quantity: 1 }] };
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 50 });
    expect((await fx.postOrder(body, { "idempotency-key": KEY })).status).toBe(503);
    const { orders, doc } = fx.handlers();
    const { Item } = await doc.send(
      new GetCommand({ TableName: fx.tables().orders, Key: { pk: `idem#${KEY}` } }),
    );
    const orderId = Item?.orderId as string;
    // The bank's word that the payment completed arrives before its create-order answer.
    const now = new Date().toISOString();
    const applied = await orders.applyBankState(
      orderId,
      {
        bankOrderId: "bank-order-1",
        status: "completed",
        paymentMethod: "card",
        rejectReason: null,
        refundAmount: null,
        currency: "GEL",
        requestAmount: 1250,
        transferAmount: 1250,
        discount: null,
      },
      Date.now(),
      now,
      { adopt: true, source: "bank" },
    );
    expect(applied.outcome).toBe("applied");
    const recorded = await orders.recordBankOrder(orderId, "bank-order-1", "https://pay/1", now);
    expect(recorded).toMatchObject({ status: "completed", redirectUrl: "https://pay/1" });
    expect(await orders.get(orderId)).toMatchObject({
      status: "completed",
      redirectUrl: "https://pay/1",
    });
    // Another bank order's answer changes nothing at all.
    const stored = await orders.get(orderId);
    await orders.recordBankOrder(orderId, "bank-order-2", "https://pay/2", now);
    expect(await orders.get(orderId)).toEqual(stored);
  });

  it("a bank that stays down: 503 bank_unavailable with Retry-After; the order is stored as pending", async () => {
    await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] }); // warm token
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 3 });
    const failed = await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 1 }] },
      { "idempotency-key": KEY },
    );
    expect(failed.status).toBe(503);
    expect(failed.headers["retry-after"]).toBe("1");
    expect(failed.body).toEqual({
      error: { code: "bank_unavailable", message: "the bank did not answer; try again" },
    });

    // The retry with the same key resumes the same order: one bank order in all.
    const retried = await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 1 }] },
      { "idempotency-key": KEY },
    );
    expect(retried.status).toBe(201);
    const order = await fx.handlers().orders.get(retried.body.orderId as string);
    expect(order).toMatchObject({ status: "created", bankError: null, idempotencyKey: KEY });
    expect((await stats(fx.sandbox())).ordersCreated).toBe(2);
  });

  it("records why the bank call failed on the stored order", async () => {
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 500, count: 3 });
    const failed = await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 1 }] },
      { "idempotency-key": KEY },
    );
    expect(failed.status).toBe(502);
    const { Items } = await fx
      .handlers()
      .doc.send(
        new (await import("@aws-sdk/lib-dynamodb")).ScanCommand({ TableName: fx.tables().orders }),
      );
    const stored = Items?.find((i) => i.idempotencyKey === KEY);
    expect(stored).toMatchObject({ status: "pending", amount: 1250 });
    expect(stored?.bankError).toMatch(
      /^unavailable: bank unavailable for createOrder after 3 attempt\(s\): status \(HTTP 500\)$/,
    );
    expect(stored?.bankOrderId).toBeUndefined();
  });

  it("a bank answer lost to a timeout is resumed with the same bank order", async () => {
    await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] }); // warm token
    // Every attempt hangs past its timeout: the bank made the order, we never heard.
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "createOrder",
      delayMs: 12_000,
      count: 1,
    });
    const retried = await fx.postOrder(
      { items: [{ productId: "sku-cup", quantity: 1 }] },
      { "idempotency-key": KEY },
    );
    expect(retried.status).toBe(201);
    expect((await stats(fx.sandbox())).ordersCreated).toBe(2);
  }, 30_000);
});
