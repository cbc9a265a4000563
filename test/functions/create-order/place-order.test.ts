import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { ORDERS_CREATED } from "../../../lib/metrics.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { bankOrderIdOf, createOrderEvent, useFunctions } from "../../support/functions.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * `lib/orders/checkout/place-order.ts` as an operator and a retrying client see it: the log
 * line each path leaves, the OrdersCreated count (once per bank order, never for a
 * replay), the order's first history entry, what a retry whose time runs out is
 * told, how close to its expiry a stranded order may still be resumed, and that the
 * reads a retry makes are strongly consistent.
 */
// No result-page templates and no shop-wide options: what the bank gets is only what a request says.
const fx = useFunctions({
  env: { SUCCESS_URL_TEMPLATE: "", FAIL_URL_TEMPLATE: "" },
  logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }),
});
const output = captureOutput({ echo: false });
const BASKET = { items: [{ productId: "sku-cup", quantity: 2 }] }; // 25.00 GEL

afterEach(() => {
  fx.counters.createOrder.intercept = undefined;
});

const lines = (message: string) => output.logLines().filter((l) => l.message === message);
const created = () => fx.metrics.filter((m) => m === ORDERS_CREATED).length;

async function orderIdOfKey(key: string): Promise<string> {
  const { Item } = await fx
    .handlers()
    .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `idem#${key}` } }));
  return Item?.orderId as string;
}

/** An order stored under `key` whose create-order call the bank refused: `pending`. */
async function strandedOrder(key: string): Promise<string> {
  await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 50 });
  expect((await fx.postOrder(BASKET, { "idempotency-key": key })).status).toBe(503);
  fx.sandbox().bank.faults.clear();
  const orderId = await orderIdOfKey(key);
  expect((await fx.handlers().orders.get(orderId))?.status).toBe("pending");
  return orderId;
}

describe("a new order", () => {
  it("is logged when stored and when the bank made it, counted once, and its history starts pending", async () => {
    const before = created();
    output.clear();
    const { status, body } = await fx.postOrder(BASKET);
    expect(status).toBe(201);
    const orderId = body.orderId as string;
    const order = await fx.handlers().orders.get(orderId);
    expect(lines("order stored, calling the bank")).toEqual([
      expect.objectContaining({ orderId, amount: 2500, currency: "GEL" }),
    ]);
    expect(lines("bank order created")).toEqual([
      expect.objectContaining({ orderId, bankOrderId: order?.bankOrderId }),
    ]);
    expect(created()).toBe(before + 1);
    expect(order?.history.map(({ status, source }) => ({ status, source }))).toEqual([
      { status: "pending", source: "api" },
      { status: "created", source: "api" },
    ]);
  });
});

describe("a retry with the same Idempotency-Key", () => {
  it("of a placed order: the same order, logged as a replay, not counted again", async () => {
    const key = randomUUID();
    const first = await fx.postOrder(BASKET, { "idempotency-key": key });
    const before = created();
    output.clear();
    const again = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(again.body).toEqual(first.body);
    expect(lines("idempotent replay: same order")).toEqual([
      expect.objectContaining({ orderId: first.body.orderId }),
    ]);
    expect(lines("order stored, calling the bank")).toEqual([]);
    expect(created()).toBe(before);
  });

  it("of an order the bank never confirmed: resumed, logged as such, counted when the bank makes it", async () => {
    const key = randomUUID();
    const orderId = await strandedOrder(key);
    const before = created();
    output.clear();
    const retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(retry.status).toBe(201);
    expect(retry.body.orderId).toBe(orderId);
    expect(lines("idempotent replay: resuming an order the bank has not confirmed")).toEqual([
      expect.objectContaining({ orderId }),
    ]);
    expect(created()).toBe(before + 1);
  });

  it("while another request calls the bank: waits for it, answers its order, logs that", async () => {
    await fx.postOrder(BASKET); // the bank token, so that the delay below is the create-order call's
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "createOrder",
      delayMs: 2000,
      count: 1,
    });
    const key = randomUUID();
    const slow = fx.postOrder(BASKET, { "idempotency-key": key });
    await new Promise((resolve) => setTimeout(resolve, 300));
    output.clear();
    const waiting = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(waiting.status).toBe(201);
    expect(waiting.body).toEqual((await slow).body);
    // (Without its orderId key: in this test both requests share one logger, and the
    // first one's end resets its keys; a Lambda container serves one request at a time.)
    expect(lines("idempotent replay: another request finished the order")).toHaveLength(1);
  });

  it("whose time runs out while another calls the bank: 409, Retry-After is how long that call may still take", async () => {
    await fx.postOrder(BASKET);
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "createOrder",
      delayMs: 3000,
      count: 1,
    });
    const key = randomUUID();
    const event = () => createOrderEvent(BASKET, key);
    const slow = fx.handlers().createOrder(event(), lambdaContext("create-order", 20_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const held = (await fx.handlers().orders.get(await orderIdOfKey(key)))?.bankCallUntil;
    if (typeof held !== "number") throw new Error("the first request holds no bank call");
    const asked = Date.now();
    const impatient = await fx.handlers().createOrder(event(), lambdaContext("create-order", 1500));
    const answered = Date.now();
    expect(impatient.statusCode).toBe(409);
    expect(JSON.parse(impatient.body)).toEqual({
      error: {
        code: "idempotency_conflict",
        message:
          "a request with this Idempotency-Key is still in progress; retry after Retry-After",
      },
    });
    // About 18 s: the first request's own deadline, not a fixed second.
    const retryAfter = Number(impatient.headers?.["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(Math.ceil((held - answered) / 1000));
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil((held - asked) / 1000));
    expect(retryAfter).toBeGreaterThan(10);
    expect((await slow).statusCode).toBe(201);
  });

  it("reads the order strongly consistently (a retry must see what the first request wrote)", async () => {
    const key = randomUUID();
    await fx.postOrder(BASKET, { "idempotency-key": key });
    const reads: unknown[] = [];
    fx.counters.createOrder.intercept = (command, input) => {
      if (command === "GetItemCommand") reads.push(input.ConsistentRead);
    };
    expect((await fx.postOrder(BASKET, { "idempotency-key": key })).status).toBe(201);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads).toEqual(reads.map(() => true));
  });
});

describe("the order behind an Idempotency-Key", () => {
  it("is looked up strongly consistently (a saved card's charge retried at once must find it)", async () => {
    const key = randomUUID();
    const { body } = await fx.postOrder(BASKET, { "idempotency-key": key });
    const reads: unknown[] = [];
    fx.counters.getStatus.intercept = (command, input) => {
      if (command === "GetItemCommand") reads.push(input.ConsistentRead);
    };
    try {
      expect(await fx.handlers().orders.orderIdForKey(key)).toBe(body.orderId);
    } finally {
      fx.counters.getStatus.intercept = undefined;
    }
    expect(reads).toEqual([true]);
  });
});

describe("how close to its expiry a stranded order may be resumed", () => {
  const expiresIn = async (orderId: string, ms: number) =>
    fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: { pk: `order#${orderId}` },
        UpdateExpression: "SET expiresAt = :at",
        // As the order stores it: whole seconds.
        ExpressionAttributeValues: {
          ":at": new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, "Z"),
        },
      }),
    );

  it("with a minute and a half left (two minutes, rounded up): resumed, a payment page", async () => {
    const key = randomUUID();
    const orderId = await strandedOrder(key);
    await expiresIn(orderId, 90_000);
    const before = (await stats(fx.sandbox())).ordersCreated;
    const retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ orderId, redirectUrl: expect.any(String) });
    expect((await stats(fx.sandbox())).ordersCreated).toBe(before + 1);
  });

  it("with under a minute left: 409, no bank call", async () => {
    const key = randomUUID();
    const orderId = await strandedOrder(key);
    await expiresIn(orderId, 50_000);
    const before = (await stats(fx.sandbox())).createOrder;
    expect((await fx.postOrder(BASKET, { "idempotency-key": key })).status).toBe(409);
    expect((await stats(fx.sandbox())).createOrder).toBe(before);
  });
});

describe("what the bank is asked", () => {
  const merchantCreate = (body: Record<string, unknown>) =>
    fx.merchant("POST /merchant/orders", {
      path: "/merchant/orders",
      body: {
        currency: "GEL",
        items: [{ productId: "tv", description: "Television", quantity: 1, unitPrice: "12.00" }],
        ...body,
      },
      headers: { "idempotency-key": randomUUID() },
    });
  const receipt = async (bankOrderId: string) =>
    (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body as {
      redirect_links: { success: string; fail: string };
    };
  const sent = async (bankOrderId: string) =>
    (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/request`)).body as {
      application_type: string | null;
      config: { account: { tag: string } | null; campaign: string | null };
    };

  it("an order with no options keeps none, and sends none", async () => {
    const { body } = await fx.postOrder(BASKET);
    const orderId = body.orderId as string;
    expect((await fx.handlers().orders.get(orderId))?.options).toBeNull();
    expect((await sent(await bankOrderIdOf(fx, orderId))).config).toMatchObject({
      account: null,
      campaign: null,
    });
  });

  it("a POS account tag alone is an option: sent and kept", async () => {
    const answer = await merchantCreate({ accountTag: "pos-9" });
    expect(answer.status).toBe(201);
    const orderId = answer.body.orderId as string;
    expect((await sent(await bankOrderIdOf(fx, orderId))).config.account).toEqual({ tag: "pos-9" });
    expect((await fx.handlers().orders.get(orderId))?.options).toEqual({
      account: { tag: "pos-9" },
    });
  });

  it("one result page of the two: sent; the bank uses its own for the other", async () => {
    const answer = await merchantCreate({ successUrl: "https://shop.example/thanks" });
    expect(answer.status).toBe(201);
    const bankOrderId = await bankOrderIdOf(fx, answer.body.orderId as string);
    const links = (await receipt(bankOrderId)).redirect_links;
    expect(links.success).toBe("https://shop.example/thanks");
    expect(links.fail).toContain("/receipt?order_id=");
  });

  it("Google Pay is not an Apple Pay web application: no application_type", async () => {
    const token = JSON.stringify({
      signature: `MEUCIQ${randomUUID()}`,
      protocolVersion: "ECv2",
      signedMessage: `{"encryptedMessage":"${randomUUID()}","tag":"x"}`,
    });
    const answer = await fx.postOrder(
      { ...BASKET, wallet: { type: "google_pay", token } },
      { "idempotency-key": randomUUID() },
    );
    expect(answer.status).toBe(201);
    const bankOrderId = await bankOrderIdOf(fx, answer.body.orderId as string);
    expect((await sent(bankOrderId)).application_type).toBeNull();
  });
});

describe("a stranded order whose bank order is on file (its answer lost, its callback came)", () => {
  it("is resumed however close to its expiry: the bank replays the order for our key", async () => {
    const key = randomUUID();
    const orderId = await strandedOrder(key);
    // The bank made the order (our order id is its key) but its answer never came back.
    const lost = await fx.handlers().bank.createOrder(
      {
        callbackUrl: fx.bridgeUrl(),
        externalOrderId: orderId,
        currency: "GEL",
        total: 2500,
        basket: [{ productId: "sku-cup", quantity: 2, unitPrice: 1250 }],
      },
      { idempotencyKey: orderId, deadline: Date.now() + 10_000 },
    );
    await post(fx.sandbox(), `/_sandbox/orders/${lost.bankOrderId}/pay`, { outcome: "completed" });
    expect(await fx.handlers().orders.get(orderId)).toMatchObject({
      status: "completed",
      bankOrderId: lost.bankOrderId,
    });
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: { pk: `order#${orderId}` },
        UpdateExpression: "SET expiresAt = :at",
        ExpressionAttributeValues: {
          ":at": new Date(Date.now() + 30_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        },
      }),
    );
    const retry = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ orderId, redirectUrl: lost.redirectUrl });
  });
});
