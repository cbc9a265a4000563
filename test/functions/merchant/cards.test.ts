import { randomUUID } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { reconcileHandler } from "../../../functions/reconcile/app.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { BASKET, cardCalls, customer } from "../../support/card-calls.js";
import { useFunctions } from "../../support/functions.js";
import { idempotencyKey } from "../../support/merchant-calls.js";

/**
 * Saved cards and automatic payments (docs/saved-cards.md), through the merchant API as API
 * Gateway routes it, against DynamoDB Local and the sandox; the bank's callbacks
 * arrive over HTTP.
 */

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });

const key = idempotencyKey;
const { create, show, cardsOf, charge, remove, bankOrderOf, savedCard, decided } = cardCalls(fx);

describe("saving a card during checkout", () => {
  it("the bank saves it before the customer is sent to pay; once paid, the card appears with the bank's mask", async () => {
    const who = customer();
    const created = await create({ ...BASKET, saveCard: "subscription", customerRef: who });
    const bankOrderId = await bankOrderOf(created.body.orderId as string);
    // Saved at the bank already, before anyone has seen the payment page.
    expect((await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body).toMatchObject({
      order_status: { key: "created" },
      payment_detail: { saved_card_type: "subscription" },
    });
    expect((await cardsOf(who)).body).toEqual({ cards: [] });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
      outcome: "completed",
      cardType: "visa",
    });
    const receipt = (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body;
    const bankCard = receipt.payment_detail as Record<string, string>;
    const listed = await cardsOf(who);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      cards: [
        {
          cardId: created.body.orderId,
          customerRef: who,
          type: "subscription",
          cardMask: bankCard.payer_identifier,
          cardType: "visa",
          expiry: bankCard.card_expiry_date,
          createdAt: expect.stringMatching(/Z$/),
        },
      ],
    });
  });

  it("a declined first payment saves no card", async () => {
    const who = customer();
    const created = await create({ ...BASKET, saveCard: "recurrent", customerRef: who });
    const bankOrderId = await bankOrderOf(created.body.orderId as string);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "rejected" });
    expect((await show(created.body.orderId as string)).body.status).toBe("rejected");
    expect((await cardsOf(who)).body).toEqual({ cards: [] });
  });

  it("a lost callback: the card is recorded from the bank's answer to a lookup", async () => {
    const who = customer();
    const created = await create({ ...BASKET, saveCard: "recurrent", customerRef: who });
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderOf(orderId);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 500, count: 10 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect((await cardsOf(who)).body).toEqual({ cards: [] });
    expect((await show(orderId, "refresh=true")).body.status).toBe("completed");
    expect((await cardsOf(who)).body.cards).toEqual([
      expect.objectContaining({ cardId: orderId, type: "recurrent" }),
    ]);
  });

  // DynamoDB Local checks no IAM: the functions that apply the bank's word (and record
  // the card) must use only the calls their roles allow (infra/payments-stack.ts,
  // infra/reconciliation.ts) — a PutItem here is AccessDenied in AWS.
  it("the callback and get-status record the card with only the DynamoDB calls their roles allow", async () => {
    const byCallback = customer();
    const paid = await create({ ...BASKET, saveCard: "subscription", customerRef: byCallback });
    fx.counters.callback.reset();
    await post(
      fx.sandbox(),
      `/_sandbox/orders/${await bankOrderOf(paid.body.orderId as string)}/pay`,
      {
        outcome: "completed",
      },
    );
    expect((await cardsOf(byCallback)).body.cards).toHaveLength(1);
    // On the orders table (the token table's calls are the token cache's, allowed).
    const onOrders = (targets: string[]) =>
      targets.filter((t) => t.endsWith(` ${fx.tables().orders}`)).map((t) => t.split(" ")[0] ?? t);
    expect(new Set(onOrders(fx.counters.callback.targets))).toEqual(new Set(["UpdateItemCommand"]));

    const byStatus = customer();
    const lost = await create({ ...BASKET, saveCard: "recurrent", customerRef: byStatus });
    const lostId = lost.body.orderId as string;
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 500, count: 10 });
    await post(fx.sandbox(), `/_sandbox/orders/${await bankOrderOf(lostId)}/pay`, {
      outcome: "completed",
    });
    fx.counters.getStatus.reset();
    expect((await fx.getOrder(lostId)).body.status).toBe("completed");
    expect((await cardsOf(byStatus)).body.cards).toHaveLength(1);
    const allowed = new Set(["GetItemCommand", "UpdateItemCommand"]);
    expect(onOrders(fx.counters.getStatus.targets).filter((call) => !allowed.has(call))).toEqual(
      [],
    );
  });

  it("the bank refusing the save fails the creation cleanly; a retry with the key resumes the same bank order", async () => {
    const body = { ...BASKET, saveCard: "recurrent", customerRef: customer() };
    const headers = key();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "saveCard", status: 400 });
    const refused = await create(body, headers);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "bank_rejected" });
    const ordersAtBank = (await stats(fx.sandbox())).ordersCreated;
    const retried = await create(body, headers);
    expect(retried.status).toBe(201);
    const detail = (await show(retried.body.orderId as string)).body;
    expect(detail.status).toBe("created");
    // The retry reached the same bank order (the bank replayed it for our key) and saved its card.
    expect((await stats(fx.sandbox())).ordersCreated).toBe(ordersAtBank);
    const receipt = (await get(fx.sandbox(), `/_sandbox/orders/${detail.bankOrderId}`)).body;
    expect(receipt.payment_detail).toMatchObject({ saved_card_type: "recurrent" });
  });

  it("a bank that does not answer the save: no payment page, the order stays pending", async () => {
    const headers = key();
    const body = { ...BASKET, saveCard: "subscription", customerRef: customer() };
    await post(fx.sandbox(), "/_sandbox/faults", { target: "saveCard", status: 503, count: 3 });
    const failed = await create(body, headers);
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatchObject({ code: "bank_unavailable" });
    const listed = await fx.merchant("GET /merchant/orders", {
      path: "/merchant/orders",
      query: "status=pending",
    });
    const pending = (listed.body.orders as Array<{ orderId: string }>).map((o) => o.orderId);
    const retried = await create(body, headers);
    expect(retried.status).toBe(201);
    expect(pending).toContain(retried.body.orderId);
  });
});

describe("charging a subscription card, without the customer", () => {
  it("201 with the first payment's amount; completed by the bank's callback; the card is charged again as often as asked", async () => {
    const who = customer();
    const { cardId, bankOrderId } = await savedCard("subscription", who);
    const answer = await charge(cardId, { reference: "renewal-1", metadata: { month: "2026-12" } });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      orderId: expect.any(String),
      status: expect.any(String),
      amount: "30.00",
      currency: "GEL",
    });
    const done = await decided(answer.body.orderId as string);
    expect(done).toMatchObject({
      status: "completed",
      reference: "renewal-1",
      metadata: { month: "2026-12" },
      amount: "30.00",
    });
    const receipt = (await get(fx.sandbox(), `/_sandbox/orders/${done.bankOrderId}`)).body;
    expect(receipt.payment_detail).toMatchObject({
      parent_order_id: bankOrderId,
      payment_option: "subscription",
    });
    const second = await charge(cardId, {});
    expect(second.status).toBe(201);
    expect(second.body.orderId).not.toBe(answer.body.orderId);
  });

  it("the same charge retried with its key is one bank charge, and 20 concurrent retries too", async () => {
    const { cardId } = await savedCard("subscription", customer());
    const before = await stats(fx.sandbox());
    const headers = key();
    const first = await charge(cardId, { reference: "r-1" }, headers);
    const again = await charge(cardId, { reference: "r-1" }, headers);
    expect(again.status).toBe(201);
    expect(again.body.orderId).toBe(first.body.orderId);
    const concurrent = key();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => charge(cardId, { reference: "r-2" }, concurrent)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
    const after = await stats(fx.sandbox());
    expect(after.ordersCreated - before.ordersCreated).toBe(2);
    const conflict = await charge(cardId, { reference: "other" }, headers);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ code: "idempotency_conflict" });
  });

  it("a declined automatic charge is rejected; the card is kept and charged next time", async () => {
    const who = customer();
    const { cardId } = await savedCard("subscription", who);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "subscriptionPayment", status: 402 });
    const declined = await charge(cardId, {});
    expect(declined.status).toBe(201);
    expect((await decided(declined.body.orderId as string)).status).toBe("rejected");
    expect((await cardsOf(who)).body.cards).toEqual([expect.objectContaining({ cardId })]);
    const next = await charge(cardId, {});
    expect((await decided(next.body.orderId as string)).status).toBe("completed");
  });

  it("an expired card is refused (409 card_expired) before the bank is called", async () => {
    const { cardId } = await savedCard("subscription", customer(), { cardExpiry: "01/20" });
    const before = await stats(fx.sandbox());
    const answer = await charge(cardId, {});
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: "card_expired" });
    expect((await stats(fx.sandbox())).subscribe).toBe(before.subscribe);
  });
});

describe("an automatic charge whose bank answer was lost", () => {
  it("is never expired by the sweep, and its key resumes it after the page's ttl: one charge", async () => {
    const { cardId } = await savedCard("subscription", customer());
    const atBank = (await stats(fx.sandbox())).ordersCreated;
    // The bank's subscribe fails every attempt of the client (3): no answer, no bank order.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "subscribe", status: 503, count: 3 });
    const headers = key();
    const lost = await charge(cardId, {}, headers);
    expect(lost.status).toBeGreaterThanOrEqual(500);
    const idem = await fx.handlers().doc.send(
      new GetCommand({
        TableName: fx.tables().orders,
        Key: { pk: `idem#${headers["idempotency-key"]}` },
      }),
    );
    const chargeId = idem.Item?.orderId as string;
    // Long past its ttl and the sweep's grace: a shop seeing `rejected` would charge again.
    const later = Date.now() + 60 * 60_000;
    const report = await reconcileHandler({ ...fx.handlers().reconcileDeps, now: () => later })(
      {},
      lambdaContext("reconcile", 60_000),
    );
    expect(report).toMatchObject({ expired: 0 });
    expect((await fx.handlers().orders.get(chargeId))?.status).toBe("pending");
    // The page's ttl has passed (as stored): the retry with the key still reaches the bank.
    await fx.handlers().doc.send(
      new UpdateCommand({
        TableName: fx.tables().orders,
        Key: { pk: `order#${chargeId}` },
        UpdateExpression: "SET expiresAt = :past",
        ExpressionAttributeValues: {
          ":past": new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        },
      }),
    );
    const retried = await charge(cardId, {}, headers);
    expect(retried.status).toBe(201);
    expect(retried.body.orderId).toBe(chargeId);
    expect((await decided(chargeId)).status).toBe("completed");
    expect((await stats(fx.sandbox())).ordersCreated - atBank).toBe(1);
  });
});

describe("charging a recurrent card, with the customer", () => {
  it("a new basket → 201 with the bank's page, which shows the saved card; the customer's payment completes it", async () => {
    const { cardId, bankOrderId } = await savedCard("recurrent", customer());
    const answer = await charge(cardId, {
      reference: "refill-7",
      currency: "GEL",
      items: [{ productId: "refill", description: "Refill", quantity: 2, unitPrice: "4.50" }],
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: "created",
      amount: "9.00",
      currency: "GEL",
      reference: "refill-7",
      redirectUrl: expect.stringContaining(fx.sandbox().url),
    });
    const parentMask = (
      (await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`)).body.payment_detail as {
        payer_identifier: string;
      }
    ).payer_identifier;
    const page = await fetch(answer.body.redirectUrl as string);
    expect(await page.text()).toContain(parentMask);
    const childBank = await bankOrderOf(answer.body.orderId as string);
    await post(fx.sandbox(), `/_sandbox/orders/${childBank}/pay`, { outcome: "completed" });
    expect((await decided(answer.body.orderId as string)).status).toBe("completed");
  });

  it("a recurrent card's charge needs a basket; a subscription card's takes none", async () => {
    const recurrent = await savedCard("recurrent", customer());
    expect((await charge(recurrent.cardId, { reference: "x" })).status).toBe(400);
    const subscription = await savedCard("subscription", customer());
    const withBasket = await charge(subscription.cardId, BASKET);
    expect(withBasket.status).toBe(400);
    expect(withBasket.body.error).toMatchObject({ code: "invalid_request" });
  });
});

describe("deleting a card", () => {
  it("204; then it is gone from the list, charging it is 404 card_not_found, and the bank refuses it too", async () => {
    const who = customer();
    const { cardId, bankOrderId } = await savedCard("subscription", who);
    const deleted = await remove(cardId);
    expect(deleted.status).toBe(204);
    expect((await cardsOf(who)).body).toEqual({ cards: [] });
    const before = await stats(fx.sandbox());
    const refused = await charge(cardId, {});
    expect(refused.status).toBe(404);
    expect(refused.body.error).toMatchObject({ code: "card_not_found" });
    expect((await stats(fx.sandbox())).subscribe).toBe(before.subscribe);
    expect((await remove(cardId)).status).toBe(404);
    // A repeated word of the bank about the first payment does not bring it back.
    expect((await show(cardId, "refresh=true")).status).toBe(200);
    expect((await cardsOf(who)).body).toEqual({ cards: [] });
    const atBank = await post(
      fx.sandbox(),
      `/payments/v1/ecommerce/orders/${bankOrderId}/subscribe`,
      {},
      { authorization: "Bearer nope" },
    );
    expect(atBank.status).toBe(401);
  });
});

describe("a charge retried after its card was deleted", () => {
  it("answers the charge its key placed, never 404; a new key is 404", async () => {
    const { cardId } = await savedCard("subscription", customer());
    const headers = key();
    const charged = await charge(cardId, {}, headers);
    expect(charged.status).toBe(201);
    expect((await remove(cardId)).status).toBe(204);
    const retried = await charge(cardId, {}, headers);
    expect(retried.status).toBe(201);
    expect(retried.body.orderId).toBe(charged.body.orderId);
    const fresh = await charge(cardId, {});
    expect(fresh.status).toBe(404);
    expect(fresh.body.error).toMatchObject({ code: "card_not_found" });
  });
});

describe("a customer's cards", () => {
  it("never show another customer's", async () => {
    const alice = customer();
    const bob = customer();
    const a1 = await savedCard("recurrent", alice);
    const a2 = await savedCard("subscription", alice);
    const b1 = await savedCard("subscription", bob);
    const ofAlice = (await cardsOf(alice)).body.cards as Array<{ cardId: string }>;
    expect(ofAlice.map((c) => c.cardId).sort()).toEqual([a1.cardId, a2.cardId].sort());
    const ofBob = (await cardsOf(bob)).body.cards as Array<{ cardId: string }>;
    expect(ofBob.map((c) => c.cardId)).toEqual([b1.cardId]);
    expect((await cardsOf(customer())).body).toEqual({ cards: [] });
  });
});

describe("bad input: 400 (or 404 for an unknown card), and nothing changes", () => {
  it.each([
    ["saveCard without customerRef", { ...BASKET, saveCard: "recurrent" }],
    ["customerRef without saveCard", { ...BASKET, customerRef: "c-1" }],
    ["an unknown saveCard", { ...BASKET, saveCard: "forever", customerRef: "c-1" }],
    ["an empty customerRef", { ...BASKET, saveCard: "recurrent", customerRef: "" }],
    ["a customerRef with a /", { ...BASKET, saveCard: "recurrent", customerRef: "a/b" }],
    ["a customerRef too long", { ...BASKET, saveCard: "recurrent", customerRef: "c".repeat(129) }],
  ])("POST /merchant/orders with %s", async (_name, body) => {
    const before = await stats(fx.sandbox());
    const answer = await create(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: "invalid_request" });
    const after = await stats(fx.sandbox());
    expect(after.createOrder).toBe(before.createOrder);
    expect(after.saveCard).toBe(before.saveCard);
  });

  it("charges: no key, a body that is not the card's, a saveCard on a charge; an unknown card is 404", async () => {
    const who = customer();
    const { cardId } = await savedCard("subscription", who);
    const before = await stats(fx.sandbox());
    expect((await charge(cardId, {}, {})).status).toBe(400);
    expect((await charge(cardId, { amount: "1.00" })).status).toBe(400);
    expect((await charge(cardId, { metadata: { a: 1 } })).status).toBe(400);
    expect((await charge(cardId, "not json")).status).toBe(400);
    const recurrent = await savedCard("recurrent", customer());
    const recurrentBefore = await stats(fx.sandbox());
    expect(
      (await charge(recurrent.cardId, { ...BASKET, saveCard: "recurrent", customerRef: who }))
        .status,
    ).toBe(400);
    expect((await stats(fx.sandbox())).cardOrder).toBe(recurrentBefore.cardOrder);
    expect((await charge(randomUUID(), {})).status).toBe(404);
    expect((await charge("not-a-uuid", {})).body.error).toMatchObject({ code: "card_not_found" });
    expect((await stats(fx.sandbox())).subscribe).toBe(before.subscribe);
    expect((await cardsOf(who)).body.cards).toHaveLength(1);
    const badRef = await fx.merchant("GET /merchant/customers/{customerRef}/cards", {
      path: "/merchant/customers/x/cards",
      pathParameters: { customerRef: "c".repeat(129) },
    });
    expect(badRef.status).toBe(400);
  });
});
