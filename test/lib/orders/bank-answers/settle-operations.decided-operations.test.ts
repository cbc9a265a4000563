import { describe, expect, it } from "vitest";
import { settleOperations } from "../../../../lib/orders/bank-answers/settle-operations.js";
import type { Order } from "../../../../lib/orders/model/order.js";

/**
 * An operation whose answer the bank's word already decided is settled by it, whatever
 * comes later.
 */

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
