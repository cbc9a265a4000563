import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkout, npmStart, payOnSandbox } from "../support/npm-start.js";
import { verifiedEvent } from "../support/webhook-verify.js";

/**
 * `npm start` with ORDER_WEBHOOK_URL: the shop's receiver is down for two minutes (its
 * port refuses connections), then comes back; every event is delivered after it returns,
 * signed, from the local delivery queue in DynamoDB Local. WEBHOOK_RETRY_SCALE 0.45 makes
 * the schedule's second wait (5 minutes) 135 seconds, just past the outage.
 */

const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const OUTAGE_MS = 120_000;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("npm start: the shop's receiver down for two minutes", () => {
  it("gets every event after it returns, each verified", { timeout: 240_000 }, async () => {
    const port = await freePort();
    const stack = await npmStart({
      ORDER_WEBHOOK_URL: `http://127.0.0.1:${port}/bog-events`,
      ORDER_WEBHOOK_SECRET: SECRET,
      WEBHOOK_RETRY_SCALE: "0.45",
    });
    let receiver: Server | undefined;
    const received: Array<{ raw: Buffer; headers: IncomingMessage["headers"] }> = [];
    try {
      const order = await checkout(stack);
      await payOnSandbox(stack, order.bankOrderId);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      expect(stack.output()).toMatch(
        new RegExp(
          `webhook network error \\(ECONNREFUSED\\) for order_${order.orderId}_v2; retry in`,
        ),
      );
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          received.push({ raw: Buffer.concat(chunks), headers: req.headers });
          res.writeHead(204).end();
        });
      });
      const listening = receiver;
      await new Promise<void>((resolve) => listening.listen(port, "127.0.0.1", resolve));
      const deadline = Date.now() + 90_000;
      while (received.length < 2 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      const events = received.map((r) => verifiedEvent(SECRET, r));
      expect(events.map((e) => [e.orderId, e.status]).sort()).toEqual([
        [order.orderId, "completed"],
        [order.orderId, "created"],
      ]);
    } finally {
      expect(await stack.stop()).toBe(0);
      receiver?.closeAllConnections();
      await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
    }
  });
});
