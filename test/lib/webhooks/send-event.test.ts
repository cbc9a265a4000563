import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  MAX_ATTEMPTS,
  MAX_WAIT_MS,
  RETRY_DELAYS_MS,
} from "../../../lib/webhooks/retry-schedule.js";
import { MAX_BODY_BYTES, type SendDeps, sendEvent } from "../../../lib/webhooks/send-event.js";
import { keyOf, rotated } from "../../../lib/webhooks/signing-secrets.js";
import { exampleOrderEvent } from "../../support/example-events.js";
import { type Received, status, useScriptedReceiver } from "../../support/scripted-receiver.js";
import { verifiedEvent } from "../../support/webhook-verify.js";

/**
 * One delivery attempt against a real HTTP receiver, with every answer a shop's backend
 * may give; each delivery is checked with the Standard Webhooks library
 * (`standardwebhooks`), as a shop checks it.
 */

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const SECRET = newSecret();

const EVENT = exampleOrderEvent();

const shop = useScriptedReceiver();

const deps = (overrides: Partial<SendDeps> = {}): SendDeps => ({
  url: shop.url,
  keys: [keyOf(SECRET)],
  now: Date.now,
  ...overrides,
});

describe("what the shop's answer means", () => {
  it("2xx: delivered, signed so that the Standard Webhooks library verifies it", async () => {
    expect(await sendEvent(EVENT, 1, deps())).toEqual({
      outcome: "delivered",
      id: `order_${EVENT.orderId}_v3`,
    });
    const [delivery] = shop.received;
    expect(delivery?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(delivery?.headers["webhook-id"]).toBe(`order_${EVENT.orderId}_v3`);
    expect(delivery && verifiedEvent(SECRET, delivery)).toEqual(EVENT);
  });

  it("500, 503, 408 and a redirect: tried again after the schedule's wait; the redirect is not followed", async () => {
    for (const [reply, reason] of [
      [status(500), "HTTP 500"],
      [status(503), "HTTP 503"],
      [status(408), "HTTP 408"],
      [status(302, { location: `${shop.url}/elsewhere` }), "HTTP 302 (a redirect, not followed)"],
    ] as const) {
      shop.script(reply);
      expect(await sendEvent(EVENT, 1, deps())).toEqual({
        outcome: "retry",
        id: `order_${EVENT.orderId}_v3`,
        reason,
        delayMs: RETRY_DELAYS_MS[0],
      });
    }
    expect(shop.received.map((r) => r.path)).toEqual(Array(4).fill("/bog-events"));
  });

  it("429 with Retry-After: waits what it asks when that is longer (seconds or a date), the schedule's wait when shorter", async () => {
    shop.script(status(429, { "retry-after": "120" }));
    expect(await sendEvent(EVENT, 1, deps())).toMatchObject({ outcome: "retry", delayMs: 120_000 });
    shop.script(status(429, { "retry-after": "1" }));
    expect(await sendEvent(EVENT, 1, deps())).toMatchObject({ outcome: "retry", delayMs: 5_000 });
    const now = Date.parse("2026-12-07T10:00:00Z");
    shop.script(status(429, { "retry-after": "Mon, 07 Dec 2026 10:10:00 GMT" }));
    expect(await sendEvent(EVENT, 2, deps({ now: () => now }))).toMatchObject({
      outcome: "retry",
      delayMs: 10 * 60_000,
    });
    // Never hidden longer than SQS can hide a message (12 hours from its receipt).
    shop.script(status(429, { "retry-after": String(48 * 3600) }));
    expect(await sendEvent(EVENT, 1, deps())).toMatchObject({ delayMs: MAX_WAIT_MS });
    expect(MAX_WAIT_MS).toBeLessThan(12 * 3_600_000);
  });

  it("410, 400, 401, 404: the shop refused it; not tried again", async () => {
    for (const code of [410, 400, 401, 404]) {
      shop.script(status(code));
      expect(await sendEvent(EVENT, 1, deps())).toEqual({
        outcome: "dead",
        id: `order_${EVENT.orderId}_v3`,
        reason: `refused: HTTP ${code}`,
      });
    }
  });

  it("no answer within the attempt's time, or a refused connection: tried again", async () => {
    // Answered, but only after the attempt's time: too late.
    shop.script((res) => void setTimeout(() => res.writeHead(204).end(), 1500));
    expect(await sendEvent(EVENT, 1, deps({ timeoutMs: 200 }))).toMatchObject({
      outcome: "retry",
      reason: "no answer in time",
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await sendEvent(EVENT, 1, deps({ url: `http://127.0.0.1:${port}/` }))).toMatchObject({
      outcome: "retry",
      reason: "network error (ECONNREFUSED)",
    });
  });

  it("each wait of the schedule in turn, then no more after the eighth attempt", async () => {
    for (const [i, wait] of RETRY_DELAYS_MS.entries()) {
      shop.script(status(500));
      expect(await sendEvent(EVENT, i + 1, deps())).toMatchObject({ delayMs: wait });
    }
    shop.script(status(500));
    expect(await sendEvent(EVENT, MAX_ATTEMPTS, deps())).toEqual({
      outcome: "dead",
      id: `order_${EVENT.orderId}_v3`,
      reason: "HTTP 500",
    });
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it("a body of exactly the size the sender accepts is sent", async () => {
    const bare = Buffer.byteLength(JSON.stringify({ ...EVENT, reference: "" }), "utf8");
    const full = { ...EVENT, reference: "x".repeat(MAX_BODY_BYTES - bare) };
    expect(Buffer.byteLength(JSON.stringify(full), "utf8")).toBe(MAX_BODY_BYTES);
    shop.script(status(204));
    expect(await sendEvent(full, 1, deps())).toMatchObject({ outcome: "delivered" });
    expect(verifiedEvent(SECRET, shop.received[0] as Received)).toEqual(full);
  });

  it("a body over the size the sender accepts is not sent at all", async () => {
    const big = { ...EVENT, reference: "x".repeat(MAX_BODY_BYTES) };
    expect(await sendEvent(big, 1, deps())).toEqual({
      outcome: "dead",
      id: `order_${EVENT.orderId}_v3`,
      reason: `body over ${MAX_BODY_BYTES} bytes`,
    });
    expect(shop.received).toEqual([]);
  });
});

describe("what the shop's verifier refuses", () => {
  it("a replay outside the tolerance, a changed body, a wrong secret", async () => {
    await sendEvent(EVENT, 1, deps({ now: () => Date.now() - 10 * 60_000 }));
    await sendEvent(EVENT, 1, deps());
    const [old, fresh] = shop.received as [Received, Received];
    expect(() => verifiedEvent(SECRET, old)).toThrow(WebhookVerificationError);
    expect(verifiedEvent(SECRET, fresh)).toEqual(EVENT);
    const changed = Buffer.from(fresh.raw.toString("utf8").replace('"25.00"', '"2.50"'));
    expect(() => verifiedEvent(SECRET, { ...fresh, raw: changed })).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifiedEvent(newSecret(), fresh)).toThrow(WebhookVerificationError);
  });

  it("while a secret rotates, each delivery carries both signatures: either secret verifies it", async () => {
    const stored = rotated({ current: SECRET.slice(6) });
    await sendEvent(EVENT, 1, deps({ keys: [keyOf(stored.current), keyOf(SECRET)] }));
    const [delivery] = shop.received as [Received];
    expect(String(delivery.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verifiedEvent(`whsec_${stored.current}`, delivery)).toEqual(EVENT);
    expect(verifiedEvent(SECRET, delivery)).toEqual(EVENT);
    expect(() => verifiedEvent(newSecret(), delivery)).toThrow(WebhookVerificationError);
  });
});
