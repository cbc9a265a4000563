import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { lambdaContext } from "../../../local/lambda-events.js";
import { post, stats } from "../../support/bank-calls.js";
import { createOrderEvent, useFunctions } from "../../support/functions.js";

/**
 * One Idempotency-Key, many requests at once (a double click, a retrying proxy, an
 * impatient frontend): while one request is calling the bank for the order, the
 * others wait for its outcome; never a second bank call in flight.
 */

const fx = useFunctions();
const BASKET = { items: [{ productId: "sku-cup", quantity: 2 }] };

async function warmToken() {
  expect((await fx.postOrder(BASKET)).status).toBe(201);
}

describe("concurrent requests with one Idempotency-Key", () => {
  it("50 at once with the bank taking 3 s: one bank call, one order, every answer the same", async () => {
    await warmToken();
    const before = (await stats(fx.sandbox())).createOrder;
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "createOrder",
      delayMs: 3000,
      count: 50,
    });
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => fx.postOrder(BASKET, { "idempotency-key": key })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const first = answers[0]?.body;
    for (const answer of answers) expect(answer.body).toEqual(first);
    expect((await stats(fx.sandbox())).createOrder - before).toBe(1);
    expect((await stats(fx.sandbox())).ordersCreated).toBe(2); // the warm-up's and this one
  });

  it("a request whose time runs out while another calls the bank: 409 with Retry-After, then the same order", async () => {
    await warmToken();
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "createOrder",
      delayMs: 3000,
      count: 1,
    });
    const key = randomUUID();
    const event = () => createOrderEvent(BASKET, key);
    const slow = fx.handlers().createOrder(event(), lambdaContext("create-order"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const impatient = await fx.handlers().createOrder(event(), lambdaContext("create-order", 1500));
    expect(impatient.statusCode).toBe(409);
    expect(JSON.parse(impatient.body).error.code).toBe("idempotency_conflict");
    expect(Number(impatient.headers?.["retry-after"])).toBeGreaterThanOrEqual(1);
    const done = await slow;
    expect(done.statusCode).toBe(201);
    const again = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(again.body).toEqual(JSON.parse(done.body));
  });
});

describe("the right to call the bank for an order", () => {
  it("cannot be claimed for an order that already has its payment page", async () => {
    const created = await fx.postOrder(BASKET);
    const now = Date.now();
    const claim = await fx
      .handlers()
      .orders.leases.claimPlacement(created.body.orderId as string, now, now + 10_000);
    expect(claim).toMatchObject({
      claimed: false,
      order: { redirectUrl: created.body.redirectUrl },
    });
  });
});

describe("the capture mode is the shop's setting", () => {
  it("a browser asking for manual capture in an automatic shop: 400, nothing sent to the bank", async () => {
    const before = (await stats(fx.sandbox())).createOrder;
    const answer = await fx.postOrder({ ...BASKET, capture: "manual" });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: "invalid_request",
      details: [{ path: "capture" }],
    });
    expect((await stats(fx.sandbox())).createOrder).toBe(before);
  });

  it("the shop's own mode, stated: accepted", async () => {
    const answer = await fx.postOrder({ ...BASKET, capture: "automatic" });
    expect(answer.status).toBe(201);
    const stored = await fx.handlers().orders.get(answer.body.orderId as string);
    expect(stored?.capture).toBe("automatic");
  });
});
