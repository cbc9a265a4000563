import { randomBytes } from "node:crypto";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { webhookSenderHandler } from "../../../functions/webhook-sender/app.js";
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from "../../../lib/webhooks/retry-schedule.js";
import type { DeliveryQueue } from "../../../lib/webhooks/sqs-delivery-queue.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { exampleOrderEvent } from "../../support/example-events.js";
import { quietLogger } from "../../support/functions.js";
import { status, useScriptedReceiver } from "../../support/scripted-receiver.js";
import { verifiedEvent } from "../../support/webhook-verify.js";

/**
 * The stack's webhook sender function: an SQS batch delivered to a real HTTP receiver,
 * retried, dead-lettered or removed; each delivery checked with the Standard Webhooks
 * library (`standardwebhooks`), as a shop checks it.
 */

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const SECRET = newSecret();

const EVENT = exampleOrderEvent();

const shop = useScriptedReceiver();

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
      url: shop.url,
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
    shop.script(status(204));
    expect(await run([record(JSON.stringify(EVENT))], calls)).toEqual({ batchItemFailures: [] });
    shop.script(status(500));
    expect(await run([record(JSON.stringify(EVENT), 2)], calls)).toEqual({
      batchItemFailures: [{ itemIdentifier: "m-1" }],
    });
    shop.script(status(410));
    expect(await run([record(JSON.stringify(EVENT), 3)], calls)).toEqual({ batchItemFailures: [] });
    expect(calls).toEqual([
      { op: "retryLater", args: ["handle-m-1", RETRY_DELAYS_MS[1]] },
      { op: "deadLetter", args: [JSON.stringify(EVENT), "refused: HTTP 410", 3] },
    ]);
    expect(shop.received.every((r) => verifiedEvent(SECRET, r))).toBe(true);
  });

  it("the eighth attempt failing, or a message that is no event: dead-lettered", async () => {
    const calls: QueueCall[] = [];
    shop.script(status(503));
    await run([record(JSON.stringify(EVENT), MAX_ATTEMPTS), record("{not json", 1, "m-2")], calls);
    expect(calls).toEqual([
      { op: "deadLetter", args: ["{not json", "not an event", 1] },
      { op: "deadLetter", args: [JSON.stringify(EVENT), "HTTP 503", MAX_ATTEMPTS] },
    ]);
  });

  it("receives counted past the schedule within a day of the first (throttled invocations): the last wait again, not the dead letters", async () => {
    const calls: QueueCall[] = [];
    shop.script(status(503), status(503));
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
    expect(shop.received).toEqual([]);
  });

  it("each failed attempt reports how many minutes the event has waited since it was queued (the alarm's metric)", async () => {
    const calls: QueueCall[] = [];
    shop.script(status(503), status(204));
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
    shop.script(status(204), status(503));
    const answer = await webhookSenderHandler({
      url: shop.url,
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
    expect(shop.received).toHaveLength(2);
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
    expect(shop.received[0] && verifiedEvent(SECRET, shop.received[0])).toEqual(EVENT);
  });

  it("two senders with the same message at once: at most a duplicate, with the same webhook-id", async () => {
    const calls: QueueCall[] = [];
    await Promise.all([
      run([record(JSON.stringify(EVENT))], calls),
      run([record(JSON.stringify(EVENT))], calls),
    ]);
    expect(shop.received).toHaveLength(2);
    expect(new Set(shop.received.map((r) => r.headers["webhook-id"]))).toEqual(
      new Set([`order_${EVENT.orderId}_v3`]),
    );
    expect(calls).toEqual([]);
  });
});
