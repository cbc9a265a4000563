import { describe, expect, it } from "vitest";
import { isFromPaymentsStack, WEBHOOK_KEY_HEADER } from "../../lib/events/webhook-key.js";
import { LOCAL_WEBHOOK_SECRET } from "../../local/order-webhook.js";
import { startCallbackReceiver } from "../support/callback-receiver.js";
import { npmStart, spawnStart } from "../support/npm-start.js";

/** `npm start` delivers every order event to ORDER_WEBHOOK_URL, logs one line each, and stops cleanly. */

describe("npm start: order events", () => {
  it("a paid order's events reach ORDER_WEBHOOK_URL with the webhook key, one log line each; SIGTERM stops it all", async () => {
    const hook = await startCallbackReceiver();
    const stack = await npmStart({ ORDER_WEBHOOK_URL: hook.url, ORDER_WEBHOOK_SECRET: "" });
    try {
      expect(stack.output()).toContain(
        `order events     POSTed to ${hook.url}   (key "${LOCAL_WEBHOOK_SECRET}", the local default`,
      );
      const created = await fetch(`${stack.apiUrl}/orders`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [{ productId: "espresso-cup", quantity: 1 }] }),
      });
      const order = (await created.json()) as { orderId: string; redirectUrl: string };
      expect(created.status).toBe(201);
      const bankOrderId = new URL(order.redirectUrl).searchParams.get("order_id");
      const paid = await fetch(`${stack.sandboxUrl}/_sandbox/orders/${bankOrderId}/pay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ outcome: "completed" }),
      });
      expect(paid.status).toBe(200);
      const received = await hook.waitFor(2, 15_000);
      const events = received.map(
        (r) => JSON.parse(r.raw.toString("utf8")) as Record<string, unknown>,
      );
      expect(events.map((e) => [e.orderId, e.status, e.version])).toEqual([
        [order.orderId, "created", 2],
        [order.orderId, "completed", 3],
      ]);
      for (const r of received)
        expect(isFromPaymentsStack(r.headers[WEBHOOK_KEY_HEADER], LOCAL_WEBHOOK_SECRET)).toBe(true);
      expect(stack.output()).toContain(`[events] order ${order.orderId} v3 created → completed`);
    } finally {
      expect(await stack.stop()).toBe(0);
      await hook.close();
    }
  });

  it("a webhook on plain http off this machine: one clear line", async () => {
    const child = spawnStart({ ORDER_WEBHOOK_URL: "http://shop.example/hook" });
    let output = "";
    child.stdout?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on("data", (c: Buffer) => {
      output += c.toString();
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(output.trim().split("\n").at(-1)).toBe(
      "npm start: ORDER_WEBHOOK_URL must be https (plain http only for loopback hosts: localhost, 127.0.0.0/8, [::1])",
    );
  });
});
