import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { WebhookVerificationError } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webhookSenderHandler } from "../../functions/webhook-sender/app.js";
import { MAX_ATTEMPTS, MAX_WAIT_MS, RETRY_DELAYS_MS } from "../../lib/webhooks/retry-schedule.js";
import { MAX_BODY_BYTES, type SendDeps, sendEvent } from "../../lib/webhooks/send-event.js";
import { keyOf, rotated } from "../../lib/webhooks/signing-secrets.js";
import type { DeliveryQueue } from "../../lib/webhooks/sqs-delivery-queue.js";
import { lambdaContext } from "../../local/lambda-events.js";
import { exampleOrderEvent } from "../support/example-events.js";
import { quietLogger } from "../support/functions.js";
import { verifiedEvent } from "../support/webhook-verify.js";

/**
 * One delivery attempt against a real HTTP receiver, with every answer a shop's
 * backend may give, and the stack's sender function around it; each delivery is
 * checked with the Standard Webhooks library (`standardwebhooks`), as a shop checks it.
 */

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const SECRET = newSecret();

const EVENT = exampleOrderEvent();

interface Received {
  raw: Buffer;
  headers: IncomingMessage["headers"];
  path: string;
}

/** The shop's backend: answers each request with the next scripted reply (200 when none is left). */
type Reply = (res: ServerResponse) => void;
let server: Server;
let url: string;
let received: Received[] = [];
let replies: Reply[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ raw: Buffer.concat(chunks), headers: req.headers, path: req.url ?? "" });
      const reply = replies.shift();
      if (reply) reply(res);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bog-events`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  replies = [];
});

const status =
  (code: number, headers: Record<string, string> = {}): Reply =>
  (res) =>
    res.writeHead(code, headers).end();

const deps = (overrides: Partial<SendDeps> = {}): SendDeps => ({
  url,
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
    const [delivery] = received;
    expect(delivery?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(delivery?.headers["webhook-id"]).toBe(`order_${EVENT.orderId}_v3`);
    expect(delivery && verifiedEvent(SECRET, delivery)).toEqual(EVENT);
  });

  it("500, 503, 408 and a redirect: tried again after the schedule's wait; the redirect is not followed", async () => {
    for (const [reply, reason] of [
      [status(500), "HTTP 500"],
      [status(503), "HTTP 503"],
      [status(408), "HTTP 408"],
      [status(302, { location: `${url}/elsewhere` }), "HTTP 302 (a redirect, not followed)"],
    ] as const) {
      replies = [reply];
      expect(await sendEvent(EVENT, 1, deps())).toEqual({
        outcome: "retry",
        id: `order_${EVENT.orderId}_v3`,
        reason,
        delayMs: RETRY_DELAYS_MS[0],
      });
    }
    expect(received.map((r) => r.path)).toEqual(Array(4).fill("/bog-events"));
  });

  it("429 with Retry-After: waits what it asks when that is longer (seconds or a date), the schedule's wait when shorter", async () => {
    replies = [status(429, { "retry-after": "120" })];
    expect(await sendEvent(EVENT, 1, deps())).toMatchObject({ outcome: "retry", delayMs: 120_000 });
    replies = [status(429, { "retry-after": "1" })];
    expect(await sendEvent(EVENT, 1, deps())).toMatchObject({ outcome: "retry", delayMs: 5_000 });
    const now = Date.parse("2026-12-07T10:00:00Z");
    replies = [status(429, { "retry-after": "Mon, 07 Dec 2026 10:10:00 GMT" })];
    expect(await sendEvent(EVENT, 2, deps({ now: () => now }))).toMatchObject({
      outcome: "retry",
      delayMs: 10 * 60_000,
    });
    // Never hidden longer than SQS can hide a message (12 hours from its receipt).
    replies = [status(429, { "retry-after": String(48 * 3600) })];
    expect(await sendEvent(EVENT, 1, deps())).toMatchObject({ delayMs: MAX_WAIT_MS });
    expect(MAX_WAIT_MS).toBeLessThan(12 * 3_600_000);
  });

  it("410, 400, 401, 404: the shop refused it; not tried again", async () => {
    for (const code of [410, 400, 401, 404]) {
      replies = [status(code)];
      expect(await sendEvent(EVENT, 1, deps())).toEqual({
        outcome: "dead",
        id: `order_${EVENT.orderId}_v3`,
        reason: `refused: HTTP ${code}`,
      });
    }
  });

  it("no answer within the attempt's time, or a refused connection: tried again", async () => {
    // Answered, but only after the attempt's time: too late.
    replies = [(res) => void setTimeout(() => res.writeHead(204).end(), 1500)];
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
      replies = [status(500)];
      expect(await sendEvent(EVENT, i + 1, deps())).toMatchObject({ delayMs: wait });
    }
    replies = [status(500)];
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
    replies = [status(204)];
    expect(await sendEvent(full, 1, deps())).toMatchObject({ outcome: "delivered" });
    expect(verifiedEvent(SECRET, received[0] as Received)).toEqual(full);
  });

  it("a body over the size the sender accepts is not sent at all", async () => {
    const big = { ...EVENT, reference: "x".repeat(MAX_BODY_BYTES) };
    expect(await sendEvent(big, 1, deps())).toEqual({
      outcome: "dead",
      id: `order_${EVENT.orderId}_v3`,
      reason: `body over ${MAX_BODY_BYTES} bytes`,
    });
    expect(received).toEqual([]);
  });
});

describe("what the shop's verifier refuses", () => {
  it("a replay outside the tolerance, a changed body, a wrong secret", async () => {
    await sendEvent(EVENT, 1, deps({ now: () => Date.now() - 10 * 60_000 }));
    await sendEvent(EVENT, 1, deps());
    const [old, fresh] = received as [Received, Received];
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
    const [delivery] = received as [Received];
    expect(String(delivery.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verifiedEvent(`whsec_${stored.current}`, delivery)).toEqual(EVENT);
    expect(verifiedEvent(SECRET, delivery)).toEqual(EVENT);
    expect(() => verifiedEvent(newSecret(), delivery)).toThrow(WebhookVerificationError);
  });
});

describe("the stack's sender function", () => {
  interface QueueCall {
    op: "retryLater" | "deadLetter" | "remove";
    args: unknown[];
  }
  // SQS itself cannot run here: its two calls are recorded (the HTTP side is real).
  const recordingQueue = (calls: QueueCall[]): DeliveryQueue => ({
    retryLater: async (...args) => void calls.push({ op: "retryLater", args }),
    deadLetter: async (...args) => void calls.push({ op: "deadLetter", args }),
    remove: async (...args) => void calls.push({ op: "remove", args }),
  });
  const DAY_MS = 24 * 3_600_000;
  /** A message SQS gives for the `receiveCount`th time, first queued `ageMs` ago (past the schedule by default). */
  const record = (body: string, receiveCount = 1, id = "m-1", ageMs = 2 * DAY_MS): SQSRecord =>
    ({
      messageId: id,
      receiptHandle: `handle-${id}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
        SentTimestamp: String(Date.now() - ageMs),
      },
    }) as unknown as SQSRecord;
  /** The metric values the sender reported, by name. */
  let metrics: Array<[string, number | undefined]> = [];
  const run = (
    records: SQSRecord[],
    calls: QueueCall[],
    secrets: () => Promise<{ current: string; previous?: string }> = async () => ({
      current: SECRET.slice(6),
    }),
  ) =>
    webhookSenderHandler({
      url,
      secrets,
      queue: recordingQueue(calls),
      log: quietLogger(),
      now: Date.now,
      metric: (name, value) => void metrics.push([name, value]),
    })({ Records: records } as SQSEvent, lambdaContext("webhook-sender", 30_000));
  beforeEach(() => {
    metrics = [];
  });

  it("delivered: nothing left to do; 500: hidden for the wait and reported failed; 410: dead-lettered with why", async () => {
    const calls: QueueCall[] = [];
    replies = [status(204)];
    expect(await run([record(JSON.stringify(EVENT))], calls)).toEqual({ batchItemFailures: [] });
    replies = [status(500)];
    expect(await run([record(JSON.stringify(EVENT), 2)], calls)).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-1" }],
    });
    replies = [status(410)];
    expect(await run([record(JSON.stringify(EVENT), 3)], calls)).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([
      { op: "retryLater", args: ["handle-m-1", RETRY_DELAYS_MS[1]] },
      { op: "deadLetter", args: [JSON.stringify(EVENT), "refused: HTTP 410", 3] },
    ]);
    expect(received.every((r) => verifiedEvent(SECRET, r))).toBe(true);
  });

  it("the eighth attempt failing, or a message that is no event: dead-lettered", async () => {
    const calls: QueueCall[] = [];
    replies = [status(503)];
    await run([record(JSON.stringify(EVENT), MAX_ATTEMPTS), record("{not json", 1, "m-2")], calls);
    expect(calls).toEqual([
      { op: "deadLetter", args: ["{not json", "not an event", 1] },
      { op: "deadLetter", args: [JSON.stringify(EVENT), "HTTP 503", MAX_ATTEMPTS] },
    ]);
  });

  it("receives counted past the schedule within a day of the first (throttled invocations): the last wait again, not the dead letters", async () => {
    const calls: QueueCall[] = [];
    replies = [status(503), status(503)];
    const young = DAY_MS - 60_000;
    expect(
      await run([record(JSON.stringify(EVENT), MAX_ATTEMPTS + 3, "m-1", young)], calls),
    ).toEqual({ batchItemFailures: [{ itemIdentifier: "m-1" }] });
    await run([record(JSON.stringify(EVENT), MAX_ATTEMPTS, "m-2", DAY_MS + 60_000)], calls);
    expect(calls).toEqual([
      { op: "retryLater", args: ["handle-m-1", RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]] },
      { op: "deadLetter", args: [JSON.stringify(EVENT), "HTTP 503", MAX_ATTEMPTS] },
    ]);
  });

  it("signing keys that cannot be read: a clear error, every message kept for its next wait, nothing sent; one past its schedule and its day moves to the dead letters itself", async () => {
    const calls: QueueCall[] = [];
    const failing = async () => {
      throw new Error("could not read the webhook signing secret (AccessDeniedException)");
    };
    await expect(
      run(
        [
          record(JSON.stringify(EVENT), 1, "m-1", 1000),
          record(JSON.stringify(EVENT), 4, "m-2", 3 * 3_600_000),
          record(JSON.stringify(EVENT), MAX_ATTEMPTS + 2, "m-3", DAY_MS - 60_000),
          record(JSON.stringify(EVENT), MAX_ATTEMPTS, "m-4", DAY_MS + 60_000),
        ],
        calls,
        failing,
      ),
    ).rejects.toThrow("AccessDeniedException");
    expect(calls).toEqual([
      { op: "retryLater", args: ["handle-m-1", RETRY_DELAYS_MS[0]] },
      { op: "retryLater", args: ["handle-m-2", RETRY_DELAYS_MS[3]] },
      { op: "retryLater", args: ["handle-m-3", RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1]] },
      {
        op: "deadLetter",
        args: [JSON.stringify(EVENT), "the signing secret could not be read", MAX_ATTEMPTS],
      },
      { op: "remove", args: ["handle-m-4"] },
    ]);
    expect(received).toEqual([]);
  });

  it("each failed attempt reports how many minutes the event has waited since it was queued (the alarm's metric)", async () => {
    const calls: QueueCall[] = [];
    replies = [status(503), status(204)];
    await run(
      [record(JSON.stringify(EVENT), 4, "m-1", 2 * 3_600_000 + 35 * 60_000 + 5_000)],
      calls,
    );
    await run([record(JSON.stringify(EVENT), 5, "m-1", 5 * 3_600_000)], calls);
    expect(metrics).toEqual([["WebhookUndeliveredMinutes", 155]]);
  });

  it("one record's queue call failing fails that record only: the delivered one is not sent again", async () => {
    const calls: QueueCall[] = [];
    const queue = recordingQueue(calls);
    const failing: DeliveryQueue = {
      ...queue,
      retryLater: async () => {
        throw new Error("InvalidParameterValue: visibility timeout");
      },
    };
    replies = [status(204), status(503)];
    const answer = await webhookSenderHandler({
      url,
      secrets: async () => ({ current: SECRET.slice(6) }),
      queue: failing,
      log: quietLogger(),
      now: Date.now,
    })(
      {
        Records: [
          record(JSON.stringify(EVENT), 1, "m-1"),
          record(JSON.stringify({ ...EVENT, version: 4 }), 1, "m-2"),
        ],
      } as SQSEvent,
      lambdaContext("webhook-sender", 30_000),
    );
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toHaveLength(1);
    expect(received).toHaveLength(2);
  });

  it("a message EventBridge itself dead-lettered (the whole event) is delivered as its detail", async () => {
    const calls: QueueCall[] = [];
    const envelope = {
      version: "0",
      id: "e-1",
      "detail-type": "Order Status Changed",
      source: "bog-payments",
      detail: EVENT,
    };
    await run([record(JSON.stringify(envelope))], calls);
    expect(calls).toEqual([]);
    expect(received[0] && verifiedEvent(SECRET, received[0])).toEqual(EVENT);
  });

  it("two senders with the same message at once: at most a duplicate, with the same webhook-id", async () => {
    const calls: QueueCall[] = [];
    await Promise.all([
      run([record(JSON.stringify(EVENT))], calls),
      run([record(JSON.stringify(EVENT))], calls),
    ]);
    expect(received).toHaveLength(2);
    expect(new Set(received.map((r) => r.headers["webhook-id"]))).toEqual(
      new Set([`order_${EVENT.orderId}_v3`]),
    );
    expect(calls).toEqual([]);
  });
});
