import { describe, expect, it } from "vitest";
import { eventBridgePublisher } from "../../lib/events/eventbridge-publisher.js";
import { ORDERS_PAID, PAID_AMOUNT } from "../../lib/metrics.js";
import { settleOperations } from "../../lib/orders/bank-answers/settle-operations.js";
import type { Order } from "../../lib/orders/model/order.js";
import { countChange } from "../../lib/orders/model/order-metrics.js";
import { exampleOrderEvent } from "../support/example-events.js";

/**
 * Rules whose wrong variants (mutants) survived the other tests in a review: paid
 * counted once, PutEvents entries without an answer retried, decided operations settled.
 */

describe("paid is counted once per order", () => {
  const order = (status: string, history: string[]) =>
    ({
      orderId: "o-1",
      status,
      currency: "GEL",
      amount: 2500,
      capturedAmount: null,
      chargedAmount: 2500,
      history: history.map((s, i) => ({
        at: `2026-01-01T00:00:0${i}Z`,
        status: s,
        source: "callback",
      })),
    }) as unknown as Order;

  const counted = (o: Order) => {
    const names: string[] = [];
    countChange(o, (name) => names.push(name));
    return names;
  };

  it("the change to completed counts one payment and its amount", () => {
    expect(counted(order("completed", ["pending", "created", "completed"]))).toEqual([
      ORDERS_PAID,
      PAID_AMOUNT,
    ]);
  });

  it("a later word of the bank on a paid order (same status, more refunded) is no second payment", () => {
    expect(counted(order("completed", ["pending", "created", "completed", "completed"]))).toEqual(
      [],
    );
    expect(
      counted(order("partial_completed", ["blocked", "partial_completed", "partial_completed"])),
    ).toEqual([]);
  });
});

describe("PutEvents answers", () => {
  const detail = exampleOrderEvent({ orderId: "o-1", reference: null });

  it("an entry the bus gave no answer for (no EventId) is not published: it is retried", async () => {
    const client = {
      // One answer for two entries, and an answer without an EventId.
      send: async () => ({ Entries: [{}] }),
    };
    const answers = await eventBridgePublisher(
      client as never,
      "bus",
    )([
      { recordId: "1", detail },
      { recordId: "2", detail: { ...detail, version: 4 } },
    ]);
    expect(answers.every((a) => a !== null)).toBe(true);
  });
});

describe("an operation whose answer the bank's word already decided", () => {
  const op = (kind: "capture" | "void") => ({
    operationId: `op-${kind}`,
    kind,
    amount: kind === "capture" ? 1000 : null,
    state: "requested" as const,
    source: "merchant",
    requestedAt: "2026-01-01T00:00:01Z",
    updatedAt: "2026-01-01T00:00:01Z",
    bankActionId: null,
    note: null,
    bankMessage: null,
  });
  const blockedThen = (status: string, operation: ReturnType<typeof op>) =>
    ({
      orderId: "o-1",
      status,
      amount: 2500,
      currency: "GEL",
      refundAmount: null,
      capturedAmount: null,
      chargedAmount: null,
      refundCommitted: 0,
      history: [
        { at: "2026-01-01T00:00:00Z", status: "blocked", source: "callback" },
        { at: "2026-01-01T00:00:02Z", status, source: "callback" },
      ],
      operations: [operation],
    }) as unknown as Order;

  // A capture asked for on a pre-authorization that the bank then rejects (released,
  // expired, voided in Business Manager) is never settled: it stays `requested`, the
  // order stays in the index of open orders (keepOpen), and every sweep asks the bank
  // about it, forever, until the OpenOrderAge alarm fires.
  it("a capture requested on an authorization the bank rejected is settled rejected", () => {
    const settled = settleOperations(
      blockedThen("rejected", op("capture")),
      "2026-01-01T00:00:03Z",
    );
    expect(settled.operations[0]?.state).toBe("rejected");
  });

  it("a void requested on an authorization the bank captured is settled rejected", () => {
    const settled = settleOperations(blockedThen("completed", op("void")), "2026-01-01T00:00:03Z");
    expect(settled.operations.find((o) => o.kind === "void")?.state).toBe("rejected");
  });
});
