import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startCallbackReceiver } from "../support/callback-receiver.js";
import { checkout, npmStart, payOnSandbox, spawnStart } from "../support/npm-start.js";
import { runScript } from "../support/run-script.js";
import { verifiedEvent } from "../support/webhook-verify.js";

/** `npm run webhook -- <args>` against the local stack on `port`. */
const webhookCli = (args: string[], port: string) =>
  runScript("cli/webhook.ts", args, { ...process.env, PORT: port });

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/** `npm start` delivers every order event to ORDER_WEBHOOK_URL, logs one line each, and stops cleanly. */

describe("npm start: order events", () => {
  it("a paid order's events reach ORDER_WEBHOOK_URL signed with the secret it printed, one log line each; SIGTERM stops it all", async () => {
    const hook = await startCallbackReceiver();
    const stack = await npmStart({ ORDER_WEBHOOK_URL: hook.url, ORDER_WEBHOOK_SECRET: "" });
    try {
      expect(stack.output()).toContain(
        `order events     POSTed to ${hook.url}   (Standard Webhooks, signed with whsec_`,
      );
      const secret = /signed with (whsec_[A-Za-z0-9+/=]+), generated for this run/.exec(
        stack.output(),
      )?.[1] as string;
      const order = await checkout(stack);
      await payOnSandbox(stack, order.bankOrderId);
      // Deliveries may arrive in any order (docs/events-and-webhooks.md): the version orders them.
      const received = await hook.waitFor(2, 15_000);
      const events = received
        .map((r) => verifiedEvent(secret, r))
        .sort((a, b) => Number(a.version) - Number(b.version));
      expect(events.map((e) => [e.orderId, e.status, e.version])).toEqual([
        [order.orderId, "created", 2],
        [order.orderId, "completed", 3],
      ]);
      expect(stack.output()).toContain(`[events] order ${order.orderId} v3 created → completed`);
    } finally {
      expect(await stack.stop()).toBe(0);
      await hook.close();
    }
  });

  it("events the shop refused stay dead in DynamoDB Local until `npm run webhook -- redrive --local` sends them again, signed afresh; a web page cannot ask for it", async () => {
    const hook = await startCallbackReceiver();
    hook.respondWith([410, 410]);
    const stack = await npmStart({ ORDER_WEBHOOK_URL: hook.url, ORDER_WEBHOOK_SECRET: SECRET });
    try {
      const order = await checkout(stack);
      await payOnSandbox(stack, order.bankOrderId);
      await hook.waitFor(2, 15_000);
      const deadline = Date.now() + 10_000;
      while (
        (stack.output().match(/dead-letter: order_/g) ?? []).length < 2 &&
        Date.now() < deadline
      )
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stack.output()).toContain(
        `dead-letter: order_${order.orderId}_v2 not delivered after 1 attempt (refused: HTTP 410)`,
      );
      const fromPage = await fetch(`${stack.apiUrl}/_local/webhook/redrive`, {
        method: "POST",
        headers: { origin: "http://localhost:8080" },
      });
      expect(fromPage.status).toBe(403);
      expect(hook.received).toHaveLength(2);
      const port = new URL(stack.apiUrl).port;
      expect(await webhookCli(["redrive", "--local"], port)).toEqual({
        code: 0,
        stdout: "redrive: 2 delivered, 0 failed\n",
        stderr: "",
      });
      const again = hook.received.slice(2);
      expect(again.map((r) => verifiedEvent(SECRET, r).version).sort()).toEqual([2, 3]);
      expect(again.map((r) => r.headers["webhook-id"]).sort()).toEqual(
        hook.received
          .slice(0, 2)
          .map((r) => r.headers["webhook-id"])
          .sort(),
      );
      expect(await webhookCli(["redrive", "--local"], port)).toMatchObject({
        code: 0,
        stdout: "redrive: 0 delivered, 0 failed\n",
      });
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
