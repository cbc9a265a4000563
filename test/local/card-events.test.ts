import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startCallbackReceiver } from "../support/callback-receiver.js";
import { npmStart } from "../support/npm-start.js";
import { verifiedEvent } from "../support/webhook-verify.js";

/** A secret of the shop's own: used to sign, never printed. */
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** `npm start` delivers Card Saved and Card Deleted to ORDER_WEBHOOK_URL, from DynamoDB Local's stream. */

describe("npm start: card events", () => {
  it("a card saved during a merchant order and then deleted: Card Saved, Card Deleted at the webhook, one log line each", async () => {
    const hook = await startCallbackReceiver();
    const stack = await npmStart({ ORDER_WEBHOOK_URL: hook.url, ORDER_WEBHOOK_SECRET: SECRET });
    try {
      const json = { "content-type": "application/json" };
      const created = await fetch(`${stack.apiUrl}/merchant/orders`, {
        method: "POST",
        headers: { ...json, "idempotency-key": randomUUID() },
        body: JSON.stringify({
          currency: "GEL",
          items: [{ productId: "box", description: "Coffee box", quantity: 1, unitPrice: "9.00" }],
          saveCard: "recurrent",
          customerRef: "cust-local-1",
        }),
      });
      expect(created.status).toBe(201);
      const order = (await created.json()) as { orderId: string; redirectUrl: string };
      const bankOrderId = new URL(order.redirectUrl).searchParams.get("order_id");
      const paid = await fetch(`${stack.sandboxUrl}/_sandbox/orders/${bankOrderId}/pay`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ outcome: "completed", cardType: "visa", cardExpiry: "11/30" }),
      });
      expect(paid.status).toBe(200);
      const cardEvents = () =>
        hook.received
          .map((r) => JSON.parse(r.raw.toString("utf8")) as Record<string, unknown>)
          .filter((e) => e.cardId === order.orderId);
      // created, completed (order events), then Card Saved
      await hook.waitFor(3, 15_000);
      expect(cardEvents()).toEqual([
        expect.objectContaining({
          event: "saved",
          customerRef: "cust-local-1",
          type: "recurrent",
          cardType: "visa",
          expiry: "11/30",
        }),
      ]);
      const deleted = await fetch(`${stack.apiUrl}/merchant/cards/${order.orderId}`, {
        method: "DELETE",
      });
      expect(deleted.status).toBe(204);
      await hook.waitFor(4, 15_000);
      expect(cardEvents().map((e) => e.event)).toEqual(["saved", "deleted"]);
      for (const r of hook.received) expect(verifiedEvent(SECRET, r)).toBeDefined();
      expect(stack.output()).not.toContain(SECRET.slice(6));
      expect(stack.output()).toContain(`[events] card ${order.orderId} saved (recurrent)`);
      expect(stack.output()).toContain(`[events] card ${order.orderId} deleted (recurrent)`);
    } finally {
      expect(await stack.stop()).toBe(0);
      await hook.close();
    }
  });
});
