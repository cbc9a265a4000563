import { describe, expect, it } from "vitest";
import type { BankAction } from "../../../../lib/bog/payment-details.js";
import { settleOperations } from "../../../../lib/orders/bank-answers/settle-operations.js";
import type { Operation, Order } from "../../../../lib/orders/model/order.js";

/**
 * The same bank history, told with and without actions[] (genuine callbacks carry
 * `actions: null`), in different orders, ends in the same operations: the bank's record
 * has the last word over what news without it made us guess. Each case applies news A
 * then news B, feeding B the operations A left. (Found by an attack on the change.)
 */

const AT = "2026-01-01T00:10:00Z";
const ORDER = "11111111-1111-4111-8111-111111111111";

function ours(
  kind: Operation["kind"],
  amount: number | null,
  bankActionId: string,
  id: string,
): Operation {
  return {
    operationId: id,
    kind,
    amount,
    state: "requested",
    source: "merchant",
    requestedAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    bankActionId,
    note: null,
    bankMessage: null,
  };
}

function order(f: {
  status: Order["status"];
  operations: Operation[];
  refundAmount?: number | null;
  refundCommitted?: number;
  chargedAmount?: number | null;
  capturedAmount?: number | null;
  blocked?: boolean;
}): Order {
  return {
    orderId: ORDER,
    status: f.status,
    amount: 2500,
    currency: "GEL",
    refundAmount: f.refundAmount ?? null,
    refundCommitted: f.refundCommitted ?? 0,
    chargedAmount: f.chargedAmount ?? null,
    capturedAmount: f.capturedAmount ?? null,
    history: [
      { at: "2026-01-01T00:00:00Z", status: "created", source: "api" },
      ...(f.blocked ? [{ at: "2026-01-01T00:01:00Z", status: "blocked", source: "callback" }] : []),
      { at: "2026-01-01T00:02:00Z", status: f.status, source: "callback" },
    ],
    operations: f.operations,
  } as unknown as Order;
}

const act = (actionId: string, f: Partial<BankAction> & { amount: number | null }): BankAction =>
  ({
    actionId,
    requestChannel: "business_manager",
    action: "refund",
    status: "completed",
    ...f,
  }) as BankAction;

const view = (ops: Operation[]) =>
  ops.map((o) => `${o.kind}:${o.amount}:${o.state}:${o.source}:${o.bankActionId ?? "-"}`).sort();

describe("refunds: a Business Manager refund while ours is in flight (ours later rejected by the bank)", () => {
  // Paid 25.00. Ours X: 10.00 requested, accepted (action X-1). BM refund B-1: 20.00 done.
  // The bank then rejects X-1. Truth: X rejected; B-1 20.00 completed (bank).
  const start = () =>
    order({
      status: "completed",
      operations: [ours("refund", 1000, "X-1", "op-x")],
      refundCommitted: 1000,
    });
  const truth = ["refund:1000:rejected:merchant:X-1", "refund:2000:completed:bank:B-1"];

  it("actions first: matches the bank", () => {
    const a = settleOperations(
      { ...start(), status: "refunded_partially", refundAmount: 2000 },
      AT,
      [
        act("B-1", { amount: 2000 }),
        act("X-1", { requestChannel: "public_api", status: "rejected", amount: 1000 }),
      ],
    );
    expect(view(a.operations)).toEqual(truth);
  });

  it("the callback without actions first (genuine bodies: actions null), then a lookup with actions", () => {
    const a = settleOperations(
      { ...start(), status: "refunded_partially", refundAmount: 2000 },
      AT,
      [],
    );
    const b = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 2000,
        refundCommitted: a.refundCommitted,
        operations: a.operations,
      }),
      AT,
      [
        act("B-1", { amount: 2000 }),
        act("X-1", { requestChannel: "public_api", status: "rejected", amount: 1000 }),
      ],
    );
    expect(view(b.operations)).toEqual(truth);
  });
});

describe("refunds: two Business Manager refunds, the first callback lost", () => {
  // BM B-1 10.00 and B-2 5.00; the callback of B-2 (actions null) arrives, then a lookup.
  const truth = ["refund:1000:completed:bank:B-1", "refund:500:completed:bank:B-2"];
  it("each is its own operation with its own amount (docs/merchant-api.md)", () => {
    const a = settleOperations(
      order({ status: "refunded_partially", refundAmount: 1500, operations: [] }),
      AT,
      [],
    );
    const b = settleOperations(
      order({
        status: "refunded_partially",
        refundAmount: 1500,
        refundCommitted: 1500,
        operations: a.operations,
      }),
      AT,
      [act("B-1", { amount: 1000 }), act("B-2", { amount: 500 })],
    );
    expect(view(b.operations)).toEqual(truth);
  });
});

describe("captures: a Business Manager capture", () => {
  const actions = [act("C-1", { action: "authorize", amount: 2500 })];
  it("news without actions first, then with: one capture, not two", () => {
    const a = settleOperations(
      order({ status: "completed", blocked: true, chargedAmount: 2500, operations: [] }),
      AT,
      [],
    );
    const b = settleOperations(
      order({
        status: "completed",
        blocked: true,
        chargedAmount: 2500,
        capturedAmount: a.capturedAmount,
        operations: a.operations,
      }),
      AT,
      actions,
    );
    expect(
      b.operations.filter((o) => o.kind === "capture" && o.state === "completed"),
    ).toHaveLength(1);
  });

  it("ours (partial 10.00) in flight, BM captured all 25.00, ours then rejected: captured amount is the bank's", () => {
    const start = order({
      status: "completed",
      blocked: true,
      chargedAmount: 2500,
      operations: [ours("capture", 1000, "K-1", "op-k")],
    });
    const a = settleOperations(start, AT, []);
    const b = settleOperations(
      order({
        status: "completed",
        blocked: true,
        chargedAmount: 2500,
        capturedAmount: a.capturedAmount,
        operations: a.operations,
      }),
      AT,
      [
        act("C-1", { action: "authorize", amount: 2500 }),
        act("K-1", {
          requestChannel: "public_api",
          action: "partial_authorize",
          status: "rejected",
          amount: 1000,
        }),
      ],
    );
    expect(b.capturedAmount).toBe(2500);
    expect(view(b.operations)).toEqual([
      "capture:1000:rejected:merchant:K-1",
      "capture:2500:completed:bank:C-1",
    ]);
  });
});
