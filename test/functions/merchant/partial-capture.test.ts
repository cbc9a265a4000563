import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderEventsHandler } from "../../../functions/order-events/app.js";
import type { OrderEventDetail } from "../../../lib/events/order-event.js";
import { ORDERS_PAID, PAID_AMOUNT } from "../../../lib/metrics.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { type OrderStream, startOrderStream } from "../../../local/order-stream.js";
import { quietLogger, useFunctions } from "../../support/functions.js";
import { heldOrder, merchantOperation } from "../../support/merchant-calls.js";

/**
 * A partial capture of a pre-authorization: the paid amount counted and the event a shop
 * receives.
 */

const waitFor = async (check: () => boolean, tries = 100) => {
  for (let i = 0; i < tries && !check(); i += 1) await new Promise((r) => setTimeout(r, 50));
};

describe("a partial capture of a pre-authorization", () => {
  const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });
  const events: OrderEventDetail[] = [];
  let stream: OrderStream;

  beforeAll(async () => {
    const handler = orderEventsHandler({
      publish: async (entries) => {
        for (const { detail } of entries) if ("orderId" in detail) events.push(detail);
        return entries.map(() => null);
      },
      log: quietLogger(),
    });
    stream = await startOrderStream({
      endpoint: fx.tables().endpoint,
      tableName: fx.tables().orders,
      handler: (event) => handler(event, lambdaContext("order-events")),
      log: () => {},
      pollMs: 50,
    });
  });
  afterAll(async () => {
    await stream?.stop();
  });

  async function captured(): Promise<{ orderId: string; mark: number }> {
    const { orderId } = await heldOrder(fx, "25.00");
    const mark = fx.metricRecords.length;
    const capture = await merchantOperation(fx, orderId, "capture", { amount: "10.00" });
    expect(capture.status).toBe(202);
    const order = await fx.handlers().orders.get(orderId);
    expect(order).toMatchObject({ status: "partial_completed", capturedAmount: 1000 });
    return { orderId, mark };
  }

  // PaidAmount for partial_completed is `capturedAmount ?? amount`, computed on the
  // applyBankState write, before settleOperations has written capturedAmount: the
  // whole authorization (25) is counted as paid, not the 10 captured.
  it("PaidAmount counts what was captured (10.00), not the authorization (25.00)", async () => {
    const { mark } = await captured();
    await waitFor(() => fx.metricRecords.slice(mark).some((r) => r.name === ORDERS_PAID));
    const amounts = fx.metricRecords
      .slice(mark)
      .filter((r) => r.name === PAID_AMOUNT)
      .map((r) => r.value);
    expect(amounts).toEqual([10]);
  });

  // The status change blocked → partial_completed is the applyBankState write; the
  // captured amount comes one write later (the operation settled). The shop's
  // partial_completed event therefore says capturedAmount: null.
  it("the event of the change to partial_completed carries the captured amount", async () => {
    const { orderId } = await captured();
    await waitFor(
      () => events.filter((e) => e.orderId === orderId && e.capturedAmount !== null).length > 0,
    );
    const change = events.find(
      (e) =>
        e.orderId === orderId && e.status === "partial_completed" && e.previousStatus === "blocked",
    );
    expect(change).toBeDefined();
    expect(change?.capturedAmount).toBe("10.00");
  });
});
