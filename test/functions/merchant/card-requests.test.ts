import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cardKey } from "../../../lib/cards/card-store.js";
import { post, stats } from "../../support/bank-calls.js";
import { BASKET, cardCalls, customer } from "../../support/card-calls.js";
import { useFunctions } from "../../support/functions.js";
import { idempotencyKey } from "../../support/merchant-calls.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * Saved cards' rules (docs/saved-cards.md) the card suites left unsaid: what an unknown,
 * deleted or malformed card id costs (a 404 and no call to the bank, none to
 * DynamoDB for an id that is no card's), each refusal's words, the bank's
 * Idempotency-Key for a delete, what the list shows of a card and what a lagging
 * index cannot make it show, a recurrent charge's key tied to its basket, and the
 * log lines (the card's id on every line of a card request; never its data).
 */

const fx = useFunctions({
  env: { STATUS_REFRESH_SECONDS: "60" },
  logger: () => new Logger({ serviceName: "test", logLevel: "INFO" }),
});
const output = captureOutput({ echo: false });
const { create, show, cardsOf, charge, remove, savedCard, decided } = cardCalls(fx);

afterEach(() => {
  fx.counters.merchant.intercept = undefined;
  vi.restoreAllMocks();
});

const CARD_NOT_FOUND = { code: "card_not_found" };

describe("a card id that is no card's", () => {
  it("malformed (3000 characters): 404 card_not_found for a charge and a delete, without asking DynamoDB", async () => {
    const long = "c".repeat(3000);
    fx.counters.merchant.reset();
    const charged = await charge(long, {});
    expect(charged.status).toBe(404);
    expect(charged.body.error).toMatchObject(CARD_NOT_FOUND);
    const deleted = await remove(long);
    expect(deleted.status).toBe(404);
    expect(deleted.body.error).toMatchObject(CARD_NOT_FOUND);
    expect(fx.counters.merchant.calls).toEqual([]);
  });

  it("unknown: 404 card_not_found for a delete, nothing asked of the bank", async () => {
    const before = await stats(fx.sandbox());
    const answer = await remove(randomUUID());
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject(CARD_NOT_FOUND);
    expect((await stats(fx.sandbox())).deleteCard).toBe(before.deleteCard);
  });
});

describe("saving a card", () => {
  it("the save's Idempotency-Key is the order's own: the same for a retry, another for another order", async () => {
    const fetches = vi.spyOn(globalThis, "fetch");
    const putKeys = () =>
      fetches.mock.calls
        .filter(([, init]) => init?.method === "PUT")
        .map(([, init]) => new Headers(init?.headers).get("idempotency-key"));
    const body = { ...BASKET, saveCard: "recurrent", customerRef: customer() };
    const headers = idempotencyKey();
    // The bank fails the save (every attempt): the order stays pending; its key resumes it.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "saveCard", status: 503, count: 3 });
    expect((await create(body, headers)).status).toBeGreaterThanOrEqual(500);
    expect((await create(body, headers)).status).toBe(201);
    expect((await create({ ...body, customerRef: customer() })).status).toBe(201);
    const keys = putKeys();
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(new Set(keys.slice(0, -1)).size).toBe(1);
    expect(keys.at(-1)).not.toBe(keys[0]);
  });
});

describe("deleting a card", () => {
  it("asks the bank once; a second delete is 404 without asking it again", async () => {
    const { cardId } = await savedCard("recurrent", customer());
    const before = await stats(fx.sandbox());
    expect((await remove(cardId)).status).toBe(204);
    expect((await stats(fx.sandbox())).deleteCard).toBe(before.deleteCard + 1);
    const again = await remove(cardId);
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject(CARD_NOT_FOUND);
    expect((await stats(fx.sandbox())).deleteCard).toBe(before.deleteCard + 1);
  });

  it("the bank's Idempotency-Key is the card's own: the same for a retry, another for another card", async () => {
    const first = await savedCard("subscription", customer());
    const second = await savedCard("subscription", customer());
    const fetches = vi.spyOn(globalThis, "fetch");
    const deleteKeys = () =>
      fetches.mock.calls
        .filter(([, init]) => init?.method === "DELETE")
        .map(([, init]) => {
          const headers = new Headers(init?.headers);
          return headers.get("idempotency-key");
        });
    // The bank fails the first try (every attempt of it): the card stays, for a retry.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "deleteCard", status: 503, count: 3 });
    expect((await remove(first.cardId)).status).toBeGreaterThanOrEqual(500);
    expect((await remove(first.cardId)).status).toBe(204);
    expect((await remove(second.cardId)).status).toBe(204);
    const keys = deleteKeys();
    expect(keys.length).toBeGreaterThanOrEqual(3);
    const firstKeys = new Set(keys.slice(0, -1));
    expect(firstKeys.size).toBe(1);
    expect(keys.at(-1)).not.toBe(keys[0]);
  });

  it("logs that the card was deleted, and the card's id on every line of the request", async () => {
    const { cardId } = await savedCard("recurrent", customer());
    // A first try the bank fails: its error line carries the card's id too.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "deleteCard", status: 503, count: 3 });
    output.clear();
    expect((await remove(cardId)).status).toBeGreaterThanOrEqual(500);
    expect(output.logLines().some((l) => l.level === "ERROR" || l.level === "WARN")).toBe(true);
    expect((await remove(cardId)).status).toBe(204);
    const lines = output.logLines().filter((l) => l.level !== undefined);
    expect(lines.filter((l) => l.message === "card deleted")).toEqual([
      expect.objectContaining({ level: "INFO", cardId }),
    ]);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ cardId });
  });
});

describe("charging a card", () => {
  it("an expired card: 409 card_expired, in words that do not show the expiry", async () => {
    const { cardId } = await savedCard("subscription", customer(), { cardExpiry: "01/20" });
    const answer = await charge(cardId, {});
    expect(answer.status).toBe(409);
    expect(answer.body.error).toEqual({
      code: "card_expired",
      message: "the card has expired; it cannot be charged",
    });
  });

  it("a recurrent card's charge with saveCard: 400 in words that say so", async () => {
    const who = customer();
    const { cardId } = await savedCard("recurrent", who);
    const answer = await charge(cardId, { ...BASKET, saveCard: "recurrent", customerRef: who });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: "invalid_request",
      message: "a saved card's charge cannot save a card",
      details: [{ path: "saveCard", message: "not allowed on a charge" }],
    });
  });

  it("a recurrent charge's key is tied to its basket: the same key with another basket is a conflict", async () => {
    const { cardId } = await savedCard("recurrent", customer());
    const headers = idempotencyKey();
    const first = await charge(cardId, BASKET, headers);
    expect(first.status).toBe(201);
    const replay = await charge(cardId, BASKET, headers);
    expect(replay.status).toBe(201);
    expect(replay.body.orderId).toBe(first.body.orderId);
    const other = await charge(cardId, { ...BASKET, delivery: "5.00" }, headers);
    expect(other.status).toBe(409);
  });

  it("a subscription charge with empty metadata keeps none; the card's id is on every line of the request", async () => {
    const { cardId } = await savedCard("subscription", customer());
    output.clear();
    const charged = await charge(cardId, { metadata: {} });
    expect(charged.status).toBe(201);
    const lines = output.logLines().filter((l) => l.level !== undefined);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ cardId });
    const order = await decided(charged.body.orderId as string);
    expect(order.metadata).toBeNull();
  });
});

describe("a customer's cards", () => {
  it("each as the list shows it: id, type, the bank's mask, card type and expiry, when saved", async () => {
    const who = customer();
    const { cardId } = await savedCard("recurrent", who, { cardExpiry: "09/31" });
    const listed = await cardsOf(who);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      cards: [
        {
          cardId,
          customerRef: who,
          type: "recurrent",
          cardMask: expect.stringMatching(/^\d{6}\*+\d{4}$/),
          cardType: expect.any(String),
          expiry: "09/31",
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        },
      ],
    });
  });

  it("what a lagging index still shows is checked against the card: another customer's, a deleted one, never", async () => {
    const who = customer();
    const { cardId } = await savedCard("subscription", who);
    // As an index that has not caught up may show them: under `who`, but the card says otherwise.
    const stored = {
      customerRef: "someone-else",
      type: "subscription",
      createdAt: "2026-01-01T00:00:00Z",
      parentBankOrderId: "bank-x",
      amount: 3000,
      currency: "GEL",
      cardCustomer: who,
    };
    const foreign = randomUUID();
    const deleted = randomUUID();
    for (const [id, item] of [
      [foreign, stored],
      [deleted, { ...stored, customerRef: who, deletedAt: "2026-02-01T00:00:00Z" }],
    ] as const)
      await fx.handlers().doc.send(
        new PutCommand({
          TableName: fx.tables().orders,
          Item: { ...cardKey(id), cardId: id, createdKey: `2026-01-01T00:00:00Z#${id}`, ...item },
        }),
      );
    const cards = (await cardsOf(who)).body.cards as Array<{ cardId: string }>;
    expect(cards.map((c) => c.cardId)).toEqual([cardId]);
  });

  it("a card is read consistently, never from a lagging copy (a charge just after the save)", async () => {
    const { cardId } = await savedCard("subscription", customer());
    const reads: Array<Record<string, unknown>> = [];
    fx.counters.merchant.intercept = (command, input) => {
      const pk = (input.Key as { pk?: string } | undefined)?.pk;
      if (command === "GetItemCommand" && pk === `card#${cardId}`) reads.push(input);
    };
    expect((await charge(cardId, {})).status).toBe(201);
    expect(reads).not.toHaveLength(0);
    for (const read of reads) expect(read.ConsistentRead).toBe(true);
  });
});

describe("a saved card's log line", () => {
  it("says the card was saved, with its id and type, once", async () => {
    output.clear();
    const created = await create({ ...BASKET, saveCard: "subscription", customerRef: customer() });
    const orderId = created.body.orderId as string;
    const bankOrderId = (await show(orderId)).body.bankOrderId as string;
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    await decided(orderId);
    expect(output.logLines().filter((l) => l.message === "card saved")).toEqual([
      expect.objectContaining({ level: "INFO", cardId: orderId, type: "subscription" }),
    ]);
  });
});
