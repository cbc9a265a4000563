import { randomUUID } from "node:crypto";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { stats } from "../../support/bank-calls.js";
import { useFunctions } from "../../support/functions.js";

/**
 * Two claims of one Idempotency-Key at the same moment can cancel each other's
 * transaction (DynamoDB's TransactionConflict). DynamoDB Local cannot be made to answer
 * it on cue, so the create-order container's client answers it here (the one stand-in
 * in these tests), for the first `times` transactions, before DynamoDB Local is asked.
 */

const fx = useFunctions();
const BASKET = { items: [{ productId: "sku-cup", quantity: 1 }] };

function cancelTransactions(times: number, code: string): { attempts: () => number } {
  let attempts = 0;
  fx.counters.createOrder.intercept = (command) => {
    if (command !== "TransactWriteItemsCommand") return;
    attempts += 1;
    if (attempts > times) return;
    throw new TransactionCanceledException({
      message: "Transaction cancelled",
      $metadata: {},
      CancellationReasons: [{ Code: "None" }, { Code: code }],
    });
  };
  return { attempts: () => attempts };
}

afterEach(() => {
  fx.counters.createOrder.intercept = undefined;
});

describe("an Idempotency-Key claim that conflicts with another", () => {
  it("is tried again: the order is made once, after the conflicts pass", async () => {
    const conflicts = cancelTransactions(2, "TransactionConflict");
    const before = (await stats(fx.sandbox())).ordersCreated;
    const answer = await fx.postOrder(BASKET, { "idempotency-key": randomUUID() });
    expect(answer.status).toBe(201);
    expect(conflicts.attempts()).toBe(3);
    expect((await stats(fx.sandbox())).ordersCreated - before).toBe(1);
  });

  it("that stays contended: 503 after five tries, no order and no bank call", async () => {
    const conflicts = cancelTransactions(100, "TransactionConflict");
    const before = (await stats(fx.sandbox())).ordersCreated;
    const key = randomUUID();
    const answer = await fx.postOrder(BASKET, { "idempotency-key": key });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ error: { code: "service_unavailable" } });
    expect(conflicts.attempts()).toBe(5);
    expect((await stats(fx.sandbox())).ordersCreated).toBe(before);
    const claim = await fx
      .handlers()
      .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: { pk: `idem#${key}` } }));
    expect(claim.Item).toBeUndefined();
  });

  it("cancelled for another reason: not tried again", async () => {
    const conflicts = cancelTransactions(100, "ValidationError");
    const before = (await stats(fx.sandbox())).ordersCreated;
    const answer = await fx.postOrder(BASKET, { "idempotency-key": randomUUID() });
    expect(answer.status).toBe(500);
    expect(conflicts.attempts()).toBe(1);
    expect((await stats(fx.sandbox())).ordersCreated).toBe(before);
  });
});
