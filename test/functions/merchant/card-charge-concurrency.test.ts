import { describe, expect, it } from "vitest";
import { stats } from "../../support/bank-calls.js";
import { cardCalls, customer } from "../../support/card-calls.js";
import { useFunctions } from "../../support/functions.js";
import { idempotencyKey } from "../../support/merchant-calls.js";

/**
 * An automatic charge of a saved card (docs/saved-cards.md) asked for by many requests at once
 * with one Idempotency-Key: one bank request (`subscribe`), one bank order, and the
 * order counted once (`OrdersCreated`), however the requests interleave.
 */

const fx = useFunctions();
const { charge, savedCard } = cardCalls(fx);

describe("an automatic charge under concurrency", () => {
  it.each([1, 2, 3])("20 requests with one key, round %i: one subscribe, one count", async () => {
    const { cardId } = await savedCard("subscription", customer());
    const before = await stats(fx.sandbox());
    const counted = fx.metrics.filter((name) => name === "OrdersCreated").length;
    const headers = idempotencyKey();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => charge(cardId, { reference: "monthly" }, headers)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
    const after = await stats(fx.sandbox());
    expect(after.subscribe - before.subscribe).toBe(1);
    expect(after.ordersCreated - before.ordersCreated).toBe(1);
    expect(fx.metrics.filter((name) => name === "OrdersCreated").length - counted).toBe(1);
  });
});
