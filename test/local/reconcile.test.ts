import { describe, expect, it } from "vitest";
import { npmStart } from "../support/npm-start.js";

/** `npm start` runs the sweep's code every RECONCILE_INTERVAL_SECONDS (its repairs are events like any change), and stops it cleanly. */

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("npm start's sweep", () => {
  it("repairs a paid order whose callbacks are lost, logs a line per run, and stops on SIGTERM", async () => {
    const stack = await npmStart({ RECONCILE_INTERVAL_SECONDS: "1", RECONCILE_STALE_SECONDS: "0" });
    try {
      const created = await fetch(`${stack.apiUrl}/orders`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [{ productId: "espresso-cup", quantity: 1 }] }),
      });
      expect(created.status).toBe(201);
      const { orderId } = (await json(created)) as { orderId: string };
      const detail = () => fetch(`${stack.apiUrl}/merchant/orders/${orderId}`).then(json);
      const { bankOrderId } = (await detail()) as { bankOrderId: string };
      await fetch(`${stack.sandboxUrl}/_sandbox/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ target: "callback", status: 503, count: 1000 }),
      });
      const paid = await fetch(`${stack.sandboxUrl}/_sandbox/orders/${bankOrderId}/pay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ outcome: "completed" }),
      });
      expect(paid.status).toBe(200);
      // Nobody polls GET /orders/{id}: only the sweep can learn of the payment.
      const repaired = await until("the sweep to repair the order", async () => {
        const order = await detail();
        return order.status === "completed" ? order : undefined;
      });
      expect(repaired.history).toContainEqual(
        expect.objectContaining({ status: "completed", source: "reconcile" }),
      );
      // The run's line comes when the run ends, which may be just after its write is seen.
      await until("the run's line", async () =>
        /\[reconcile\] reconcile: \d+ open seen, 1 asked the bank, 1 repaired/.test(stack.output())
          ? true
          : undefined,
      );
      // The sweep's write is a committed change like any other: its event is out.
      await until("the order's completed event", async () =>
        stack.output().includes(`order ${orderId} v3 created → completed`) ? true : undefined,
      );
    } finally {
      expect(await stack.stop()).toBe(0);
    }
    expect(stack.output()).toContain("npm start: SIGTERM; stopping");
  });
});
