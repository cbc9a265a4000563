import { describe, expect, it } from "vitest";
import { settleOperations } from "../../../../lib/orders/bank-answers/settle-operations.js";
import type { Operation, Order } from "../../../../lib/orders/model/order.js";

/**
 * `settleOperations`: which merchant operations the bank's word decides, and what it
 * says was done elsewhere (the bank's Business Manager). Pure: each case is an order as
 * the bank's word left it, and what must be settled.
 */

const AT = "2026-01-01T00:10:00Z";

let next = 0;
function op(
  kind: Operation["kind"],
  amount: number | null,
  state: Operation["state"] = "requested",
): Operation {
  next += 1;
  return {
    operationId: `op-${next}`,
    kind,
    amount,
    state,
    source: "merchant",
    requestedAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    bankActionId: null,
    note: null,
    bankMessage: null,
  };
}

function order(fields: {
  status: Order["status"];
  operations?: Operation[];
  refundAmount?: number | null;
  refundCommitted?: number;
  chargedAmount?: number | null;
  capturedAmount?: number | null;
  blocked?: boolean;
  orderId?: string;
}): Order {
  const history = [
    { at: "2026-01-01T00:00:00Z", status: "created", source: "api" },
    ...(fields.blocked
      ? [{ at: "2026-01-01T00:01:00Z", status: "blocked", source: "callback" }]
      : []),
    { at: "2026-01-01T00:02:00Z", status: fields.status, source: "callback" },
  ];
  return {
    orderId: fields.orderId ?? "11111111-1111-4111-8111-111111111111",
    status: fields.status,
    amount: 2500,
    currency: "GEL",
    refundAmount: fields.refundAmount ?? null,
    refundCommitted: fields.refundCommitted ?? 0,
    chargedAmount: fields.chargedAmount ?? null,
    capturedAmount: fields.capturedAmount ?? null,
    history,
    operations: fields.operations ?? [],
  } as unknown as Order;
}

const states = (ops: Operation[]) => ops.map((o) => `${o.kind}:${o.amount}:${o.state}`);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

describe("refunds, by the bank's refunded total", () => {
  it("settles requested refunds oldest first while the total covers them; a refund it cannot cover stops the rest", () => {
    const ops = [op("refund", 500), op("refund", 1000), op("refund", 200)];
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 700,
        refundCommitted: 1700,
        operations: ops,
      }),
      AT,
    );
    // 500 covered; 1000 is not, and the 200 after it waits too (the bank refunds in order).
    expect(states(settled.operations)).toEqual([
      "refund:500:completed",
      "refund:1000:requested",
      "refund:200:requested",
    ]);
    expect(settled.operations[0]?.updatedAt).toBe(AT);
    expect(settled.operations[1]?.updatedAt).not.toBe(AT);
    // What is refunded (700) plus what is still on its way (1000 + 200).
    expect(settled.refundCommitted).toBe(1900);
    expect(settled.changed).toBe(true);
  });

  it("counts refunds already settled, and skips captures, voids and settled ones", () => {
    const ops = [
      op("refund", 500, "completed"),
      op("capture", 300),
      op("void", null),
      op("refund", 400, "rejected"),
      op("refund", 300),
    ];
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 800,
        refundCommitted: 800,
        operations: ops,
      }),
      AT,
    );
    expect(states(settled.operations)).toEqual([
      "refund:500:completed",
      "capture:300:requested",
      "void:null:requested",
      "refund:400:rejected",
      "refund:300:completed",
    ]);
    expect(settled.refundCommitted).toBe(800);
    expect(settled.changed).toBe(true);
  });

  it("a refunded total beyond every refund asked for here: one refund made elsewhere, for the rest", () => {
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 900,
        refundCommitted: 500,
        operations: [op("refund", 500, "completed")],
      }),
      AT,
    );
    expect(settled.operations).toHaveLength(2);
    const elsewhere = settled.operations[1];
    expect(elsewhere).toEqual({
      operationId: expect.stringMatching(UUID_V4),
      kind: "refund",
      amount: 400,
      state: "completed",
      source: "bank",
      requestedAt: AT,
      updatedAt: AT,
      bankActionId: null,
      note: null,
      bankMessage: null,
    });
    expect(settled.refundCommitted).toBe(900);
    expect(settled.changed).toBe(true);
  });

  it("the same news settled twice is the same operation; other news, or another order, another one", () => {
    const news = (orderId: string, refundAmount: number) =>
      settleOperations(order({ status: "refunded_partially", refundAmount, orderId }), AT)
        .operations[0]?.operationId;
    const a = "11111111-1111-4111-8111-111111111111";
    const b = "22222222-2222-4222-8222-222222222222";
    expect(news(a, 900)).toBe(news(a, 900));
    expect(news(a, 900)).not.toBe(news(a, 800));
    expect(news(a, 900)).not.toBe(news(b, 900));
    const ids = [news(a, 900), news(a, 800), news(b, 900)];
    for (const id of ids) expect(id).toMatch(UUID_V4);
    // Every part of the hash shows in the id, not the first characters over again.
    expect(new Set(ids.map((id) => id?.slice(24))).size).toBe(3);
    expect(new Set(ids.map((id) => id?.slice(0, 8))).size).toBe(3);
  });

  it("a refunded total not yet covering our refund in flight: nothing made elsewhere", () => {
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 300,
        refundCommitted: 1000,
        operations: [op("refund", 1000)],
      }),
      AT,
    );
    expect(states(settled.operations)).toEqual(["refund:1000:requested"]);
    expect(settled.refundCommitted).toBe(1300);
  });

  it("nothing refunded, nothing asked: nothing changes", () => {
    const settled = settleOperations(order({ status: "completed" }), AT);
    expect(settled).toEqual({
      operations: [],
      capturedAmount: null,
      refundCommitted: 0,
      changed: false,
    });
  });

  it("the refunded total not yet counted: changed, with nothing else to settle", () => {
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 500,
        refundCommitted: 200,
        operations: [op("refund", 500, "completed")],
      }),
      AT,
    );
    expect(settled.refundCommitted).toBe(500);
    expect(settled.changed).toBe(true);
  });

  it("the refunded total already counted: not changed", () => {
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 500,
        refundCommitted: 500,
        operations: [op("refund", 500, "completed")],
      }),
      AT,
    );
    expect(settled.changed).toBe(false);
  });
});

describe("a capture, when a blocked order is completed or partially completed", () => {
  it("settles the capture asked for; the captured amount is the capture's", () => {
    const settled = settleOperations(
      order({
        status: "partial_completed",
        blocked: true,
        chargedAmount: 1000,
        operations: [op("capture", 1000)],
      }),
      AT,
    );
    expect(states(settled.operations)).toEqual(["capture:1000:completed"]);
    expect(settled.capturedAmount).toBe(1000);
    expect(settled.changed).toBe(true);
  });

  it("a capture nobody here asked for is the Business Manager's: made elsewhere, for what the bank charged", () => {
    const settled = settleOperations(
      order({ status: "partial_completed", blocked: true, chargedAmount: 1200 }),
      AT,
    );
    expect(settled.operations).toEqual([
      expect.objectContaining({
        kind: "capture",
        amount: 1200,
        state: "completed",
        source: "bank",
      }),
    ]);
    expect(settled.capturedAmount).toBe(1200);
    expect(settled.changed).toBe(true);
  });

  it("completed with no charged amount on file: the order's amount; partially completed: unknown", () => {
    const whole = settleOperations(order({ status: "completed", blocked: true }), AT);
    expect(states(whole.operations)).toEqual(["capture:2500:completed"]);
    expect(whole.capturedAmount).toBe(2500);
    const part = settleOperations(order({ status: "partial_completed", blocked: true }), AT);
    expect(states(part.operations)).toEqual(["capture:null:completed"]);
    expect(part.capturedAmount).toBeNull();
  });

  it("a rejected capture is not the one that happened: the bank's capture is made elsewhere", () => {
    const settled = settleOperations(
      order({
        status: "completed",
        blocked: true,
        chargedAmount: 2500,
        operations: [op("capture", 1000, "rejected")],
      }),
      AT,
    );
    expect(states(settled.operations)).toEqual(["capture:1000:rejected", "capture:2500:completed"]);
  });

  it("a captured amount already on file is kept while the bank has not said what it charged", () => {
    const settled = settleOperations(
      order({
        status: "completed",
        blocked: true,
        capturedAmount: 2000,
        operations: [op("capture", 2000, "completed")],
      }),
      AT,
    );
    expect(settled.capturedAmount).toBe(2000);
    expect(settled.changed).toBe(false);
  });

  it("what the bank charged wins over a captured amount on file (one guessed from our capture)", () => {
    const settled = settleOperations(
      order({
        status: "completed",
        blocked: true,
        chargedAmount: 2500,
        capturedAmount: 2000,
        operations: [op("capture", 2000, "completed")],
      }),
      AT,
    );
    expect(settled.capturedAmount).toBe(2500);
    expect(settled.changed).toBe(true);
  });

  it("an order that was never blocked: nothing about captures", () => {
    const settled = settleOperations(order({ status: "completed", chargedAmount: 2500 }), AT);
    expect(settled.operations).toEqual([]);
    expect(settled.capturedAmount).toBeNull();
    expect(settled.changed).toBe(false);
  });

  it("a void asked for did not happen: rejected; a refund in flight is left alone", () => {
    const settled = settleOperations(
      order({
        status: "partial_completed",
        blocked: true,
        chargedAmount: 1000,
        refundCommitted: 200,
        operations: [op("capture", 1000), op("refund", 200), op("void", null)],
      }),
      AT,
    );
    expect(states(settled.operations)).toEqual([
      "capture:1000:completed",
      "refund:200:requested",
      "void:null:rejected",
    ]);
  });
});

describe("a void, when a blocked order is rejected", () => {
  it("settles the void asked for and rejects a capture asked for; a refund in flight is left alone", () => {
    const settled = settleOperations(
      order({
        status: "rejected",
        blocked: true,
        refundCommitted: 100,
        operations: [op("refund", 100), op("void", null), op("capture", 500)],
      }),
      AT,
    );
    expect(states(settled.operations)).toEqual([
      "refund:100:requested",
      "void:null:completed",
      "capture:500:rejected",
    ]);
    expect(settled.changed).toBe(true);
  });

  it("settled ones stay as they are", () => {
    const settled = settleOperations(
      order({
        status: "rejected",
        blocked: true,
        operations: [op("void", null, "rejected"), op("capture", 500, "completed")],
      }),
      AT,
    );
    expect(states(settled.operations)).toEqual(["void:null:rejected", "capture:500:completed"]);
    expect(settled.changed).toBe(false);
  });

  it("a rejected order that was never blocked: operations untouched", () => {
    const settled = settleOperations(
      order({ status: "rejected", operations: [op("void", null), op("capture", 500)] }),
      AT,
    );
    expect(states(settled.operations)).toEqual(["void:null:requested", "capture:500:requested"]);
    expect(settled.changed).toBe(false);
  });
});

describe("the bank's own record, actions[]", () => {
  type Action = Parameters<typeof settleOperations>[2] extends readonly (infer A)[] | undefined
    ? A
    : never;
  const action = (
    actionId: string,
    fields: Partial<Action> & { amount: number | null },
  ): Action => ({
    actionId,
    requestChannel: "business_manager",
    action: "refund",
    status: "completed",
    ...fields,
  });
  const ours = (amount: number, bankActionId: string): Operation => ({
    ...op("refund", amount),
    bankActionId,
  });

  it("a late Business Manager refund is its own operation, never merged into ours", () => {
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 1500,
        refundCommitted: 1000,
        operations: [ours(1000, "AAAA")],
      }),
      AT,
      [
        action("aaaa", { requestChannel: "public_api", action: "partial_refund", amount: 1000 }),
        action("B-1", { amount: 500 }),
      ],
    );
    expect(
      settled.operations.map((o) => [o.kind, o.amount, o.state, o.source, o.bankActionId]),
    ).toEqual([
      ["refund", 1000, "completed", "merchant", "AAAA"],
      ["refund", 500, "completed", "bank", "B-1"],
    ]);
    expect(settled.refundCommitted).toBe(1500);
  });

  it("the same action settled twice is the same operation; an action already on file adds nothing", () => {
    const first = settleOperations(order({ status: "refunded_partially", refundAmount: 500 }), AT, [
      action("B-1", { amount: 500 }),
    ]);
    const again = settleOperations(order({ status: "refunded_partially", refundAmount: 500 }), AT, [
      action("B-1", { amount: 500 }),
    ]);
    expect(first.operations[0]?.operationId).toBe(again.operations[0]?.operationId);
    expect(first.operations[0]?.operationId).toMatch(UUID_V4);
    const onFile = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 500,
        refundCommitted: 500,
        operations: first.operations,
      }),
      AT,
      [action("b-1", { amount: 500 })],
    );
    expect(onFile.operations).toHaveLength(1);
    expect(onFile.changed).toBe(false);
  });

  it("a refund already counted from the refunded total (news without actions) is not counted twice", () => {
    const fromTotal = settleOperations(
      order({ status: "refunded_partially", refundAmount: 500 }),
      AT,
    ).operations;
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 500,
        refundCommitted: 500,
        operations: fromTotal,
      }),
      AT,
      [action("B-1", { amount: 500 })],
    );
    expect(states(settled.operations)).toEqual(["refund:500:completed"]);
  });

  it("our refund completed by its action before the total covers an older one of ours", () => {
    const settled = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 300,
        refundCommitted: 1300,
        operations: [ours(1000, "A-1"), ours(300, "A-2")],
      }),
      AT,
      [action("A-2", { requestChannel: "public_api", amount: 300 })],
    );
    expect(states(settled.operations)).toEqual(["refund:1000:requested", "refund:300:completed"]);
    expect(settled.refundCommitted).toBe(1300);
  });

  it("ignored: our own channel's unknown actions, rejected or unknown kinds, amounts it wrote oddly", () => {
    const settled = settleOperations(order({ status: "completed", refundAmount: 0 }), AT, [
      action("P-1", { requestChannel: "public_api", amount: 100 }),
      action("R-1", { status: "rejected", amount: 100 }),
      action("U-1", { action: "chargeback", amount: 100 }),
      action("N-1", { amount: null }),
    ]);
    expect(settled.operations).toEqual([]);
    expect(settled.changed).toBe(false);
  });

  it("a capture and a release by the bank: their own operations, keyed by action", () => {
    const captured = settleOperations(
      order({ status: "completed", blocked: true, chargedAmount: 2500 }),
      AT,
      [action("C-1", { action: "authorize", amount: 2500 })],
    );
    expect(captured.operations).toEqual([
      expect.objectContaining({
        kind: "capture",
        amount: 2500,
        source: "bank",
        bankActionId: "C-1",
      }),
    ]);
    expect(captured.capturedAmount).toBe(2500);
    const released = settleOperations(order({ status: "rejected", blocked: true }), AT, [
      action("S-1", { requestChannel: "support", action: "cancel_authorize", amount: 2500 }),
    ]);
    expect(states(released.operations)).toEqual(["void:2500:completed"]);
  });
});
