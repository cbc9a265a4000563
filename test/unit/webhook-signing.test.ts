import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/errors.js";
import { classify, retryAfterMs } from "../../lib/webhooks/delivery-attempt.js";
import { eventOfBody } from "../../lib/webhooks/event-body.js";
import {
  GIVE_UP_AFTER_MS,
  MAX_ATTEMPTS,
  MAX_WAIT_MS,
  nextRetryDelay,
  RETRY_DELAYS_MS,
} from "../../lib/webhooks/retry-schedule.js";
import { signedHeaders } from "../../lib/webhooks/signature.js";
import { signingSecretSource } from "../../lib/webhooks/signing-secret-source.js";
import {
  asWhsec,
  finished,
  keyOf,
  newKey,
  parseStoredSecrets,
  ROTATION_MARGIN_MS,
  rotated,
  rotationSettled,
  SECRET_CACHE_MS,
  signingKeys,
  WebhookSecretError,
} from "../../lib/webhooks/signing-secrets.js";
import { readWebhookSenderConfig } from "../../lib/webhooks/webhook-config.js";
import { webhookIdOf } from "../../lib/webhooks/webhook-id.js";

/** The signing rules of the webhook (Standard Webhooks), and the secrets' stored form. */

const SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_AT = 1614265330;
const SPEC_BODY = '{"test": 2432232314}';

describe("the signature", () => {
  it("is the one the Standard Webhooks library computes for the same message", () => {
    const headers = signedHeaders([keyOf(SPEC_SECRET)], SPEC_ID, SPEC_AT * 1000 + 999, SPEC_BODY);
    expect(headers).toEqual({
      "webhook-id": SPEC_ID,
      "webhook-timestamp": String(SPEC_AT),
      "webhook-signature": new Webhook(SPEC_SECRET).sign(
        SPEC_ID,
        new Date(SPEC_AT * 1000),
        SPEC_BODY,
      ),
    });
  });

  it("one per key, space-separated, newest first", () => {
    const other = `whsec_${newKey()}`;
    const both = signedHeaders(
      [keyOf(other), keyOf(SPEC_SECRET)],
      SPEC_ID,
      SPEC_AT * 1000,
      SPEC_BODY,
    );
    const alone = signedHeaders([keyOf(SPEC_SECRET)], SPEC_ID, SPEC_AT * 1000, SPEC_BODY);
    const [first, second] = both["webhook-signature"].split(" ");
    expect(second).toBe(alone["webhook-signature"]);
    expect(first).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe(second);
  });
});

describe("the secrets", () => {
  it("a key is whsec_ (or not) and the base64 of 24 to 64 bytes", () => {
    expect(keyOf(SPEC_SECRET)).toEqual(Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64"));
    expect(keyOf("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toHaveLength(24);
    expect(keyOf(Buffer.alloc(64, 1).toString("base64"))).toHaveLength(64);
    for (const bad of [
      "whsec_",
      "whsec_not base64!",
      "whsec_abc",
      Buffer.alloc(23, 1).toString("base64"),
      Buffer.alloc(65, 1).toString("base64"),
    ])
      expect(() => keyOf(bad)).toThrow(WebhookSecretError);
    // Each refusal says which rule: base64 (its letters, and whole groups of four), then the size.
    const notBase64 = "a webhook secret must be whsec_ and base64";
    expect(() => keyOf(`whsec_${"*".repeat(32)}`)).toThrow(notBase64);
    expect(() => keyOf(`whsec_${"A".repeat(33)}`)).toThrow(notBase64);
    expect(() => keyOf(Buffer.alloc(23, 1).toString("base64"))).toThrow(
      "a webhook secret must hold 24 to 64 bytes of key",
    );
    expect(new WebhookSecretError("x").name).toBe("WebhookSecretError");
    expect(asWhsec("abc=")).toBe("whsec_abc=");
    expect(asWhsec("whsec_abc=")).toBe("whsec_abc=");
  });

  it("the stored JSON: current, and previous while a rotation runs; anything else refused without its text", () => {
    const current = newKey();
    const previous = newKey();
    expect(parseStoredSecrets(JSON.stringify({ current }))).toEqual({ current });
    expect(parseStoredSecrets(JSON.stringify({ current, previous }))).toEqual({
      current,
      previous,
    });
    expect(() => parseStoredSecrets("whsec_x")).toThrow("the webhook secret is not JSON");
    expect(() => parseStoredSecrets(undefined)).toThrow("the webhook secret has no text");
    for (const bad of [
      "",
      "whsec_x",
      "{}",
      '{"current": 1}',
      JSON.stringify({ current, previous: 2 }),
      JSON.stringify({ current: "short" }),
    ]) {
      let message = "";
      try {
        parseStoredSecrets(bad);
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookSecretError);
        message = (error as Error).message;
      }
      expect(message).not.toBe("");
      expect(message).not.toContain(current);
    }
  });

  it("a rotation is settled once every sender's cached secret has run out (5 minutes) and a minute more, from the later of the operator's clock and Secrets Manager's", () => {
    const at = new Date("2026-12-07T10:00:00Z");
    const during = rotated({ current: newKey() }, newKey(), at);
    const settles = SECRET_CACHE_MS + ROTATION_MARGIN_MS;
    expect(ROTATION_MARGIN_MS).toBe(60_000);
    expect(during.rotatedAt).toBe("2026-12-07T10:00:00.000Z");
    expect(rotationSettled(during, at.getTime() + settles - 1)).toBe(false);
    expect(rotationSettled(during, at.getTime() + settles)).toBe(true);
    // The operator's clock 10 minutes slow: Secrets Manager's time of the version counts.
    const stored = at.getTime() + 10 * 60_000;
    expect(rotationSettled(during, at.getTime() + settles, stored)).toBe(false);
    expect(rotationSettled(during, stored + settles - 1, stored)).toBe(false);
    expect(rotationSettled(during, stored + settles, stored)).toBe(true);
    expect(rotationSettled({ ...during, rotatedAt: "?" }, stored + settles, stored)).toBe(true);
    // No rotation under way: nothing to wait for, whatever the dates say.
    expect(rotationSettled({ current: newKey(), rotatedAt: at.toISOString() }, at.getTime())).toBe(
      true,
    );
    expect(rotationSettled({ current: newKey() }, at.getTime())).toBe(true);
    expect(parseStoredSecrets(JSON.stringify(during))).toEqual(during);
  });

  it("a rotation keeps the old key valid beside the new one; finishing it drops the old", () => {
    const stored = { current: newKey() };
    const during = rotated(stored);
    expect(during.previous).toBe(stored.current);
    expect(during.current).not.toBe(stored.current);
    expect(signingKeys(during)).toEqual([keyOf(during.current), keyOf(stored.current)]);
    expect(finished(during)).toEqual({ current: during.current });
    expect(signingKeys(finished(during))).toHaveLength(1);
    expect(keyOf(newKey())).toHaveLength(32);
  });
});

describe("the signing keys read from Secrets Manager", () => {
  it("read once for many at once, kept for the cache's time, then read again (a rotation reaches every sender)", async () => {
    const start = 1_000_000;
    let clock = start;
    const texts = [JSON.stringify({ current: newKey() }), JSON.stringify({ current: newKey() })];
    const reads: string[] = [];
    const source = signingSecretSource(
      "arn:secret",
      SECRET_CACHE_MS,
      async (id) => {
        reads.push(id);
        return texts[reads.length - 1];
      },
      () => clock,
    );
    const [a, b] = await Promise.all([source.get(), source.get()]);
    expect(a).toBe(b);
    expect(reads).toEqual(["arn:secret"]);
    clock = start + SECRET_CACHE_MS - 1;
    expect(await source.get()).toBe(a);
    clock = start + SECRET_CACHE_MS;
    expect(await source.get()).toEqual(JSON.parse(texts[1] as string));
    expect(reads).toHaveLength(2);
  });

  it("unreadable or malformed: a WebhookSecretError that names the SDK's error, never the text", async () => {
    const denied = signingSecretSource("arn:secret", SECRET_CACHE_MS, async () => {
      throw Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" });
    });
    await expect(denied.get()).rejects.toThrow(
      new WebhookSecretError("could not read the webhook signing secret (AccessDeniedException)"),
    );
    const thrown = signingSecretSource("arn:secret", SECRET_CACHE_MS, async () => {
      throw "a string, not an Error";
    });
    await expect(thrown.get()).rejects.toThrow(
      "could not read the webhook signing secret (unknown error)",
    );
    const text = "not-json-secret-text";
    const malformed = signingSecretSource("arn:secret", SECRET_CACHE_MS, async () => text);
    const error = await malformed.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect(String((error as Error).message)).not.toContain(text);
  });
});

describe("what the shop's answer means", () => {
  it("2xx delivered; 3xx, 408, 429 and 5xx tried again (a redirect said so); any other status refused", () => {
    const cases: Array<[number, ReturnType<typeof classify>]> = [
      [199, { kind: "refused", reason: "HTTP 199" }],
      [200, { kind: "delivered", status: 200 }],
      [299, { kind: "delivered", status: 299 }],
      [300, { kind: "retry", reason: "HTTP 300 (a redirect, not followed)" }],
      [399, { kind: "retry", reason: "HTTP 399 (a redirect, not followed)" }],
      [400, { kind: "refused", reason: "HTTP 400" }],
      [407, { kind: "refused", reason: "HTTP 407" }],
      [408, { kind: "retry", reason: "HTTP 408" }],
      [410, { kind: "refused", reason: "HTTP 410" }],
      [429, { kind: "retry", reason: "HTTP 429" }],
      [499, { kind: "refused", reason: "HTTP 499" }],
      [500, { kind: "retry", reason: "HTTP 500" }],
      [599, { kind: "retry", reason: "HTTP 599" }],
    ];
    for (const [status, result] of cases) expect(classify(status, null, 0)).toStrictEqual(result);
  });

  it("Retry-After is read on a 429 only: seconds, or an HTTP date; anything else is no wait", () => {
    const now = Date.parse("2026-12-07T10:00:00Z");
    expect(classify(429, "120", now)).toStrictEqual({
      kind: "retry",
      reason: "HTTP 429",
      retryAfterMs: 120_000,
    });
    expect(classify(503, "120", now)).toStrictEqual({ kind: "retry", reason: "HTTP 503" });
    expect(retryAfterMs(" 120 ", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 07 Dec 2026 10:02:00 GMT", now)).toBe(120_000);
    expect(retryAfterMs("Mon, 07 Dec 2026 09:00:00 GMT", now)).toBe(0);
    for (const none of [
      null,
      "",
      "   ",
      "soon",
      "12 minutes",
      "in 12",
      "12abc",
      "abc12",
      "Mon, 07 Dec 2026 10:02:00",
      "x Mon, 07 Dec 2026 10:02:00 GMT",
    ])
      expect(retryAfterMs(none, now)).toBeUndefined();
  });
});

describe("the retry schedule", () => {
  it("past its last wait, an event first queued less than a day ago waits the last wait again; a day or more, none", () => {
    const last = RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1];
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 1, GIVE_UP_AFTER_MS - 1)).toBe(last);
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 1, GIVE_UP_AFTER_MS)).toBeNull();
    expect(nextRetryDelay(MAX_ATTEMPTS)).toBeNull();
    // Scaled locally: the day too.
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 0.001, GIVE_UP_AFTER_MS * 0.001 - 1)).toBe(
      (last as number) * 0.001,
    );
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 0.001, GIVE_UP_AFTER_MS * 0.001)).toBeNull();
  });
  it("a Retry-After longer than the wait is waited, never past 11 h 55 min", () => {
    expect(nextRetryDelay(1, 60_000)).toBe(60_000);
    expect(nextRetryDelay(1, 1000)).toBe(RETRY_DELAYS_MS[0]);
    expect(nextRetryDelay(1, 24 * 3_600_000)).toBe(MAX_WAIT_MS);
    expect(MAX_WAIT_MS).toBe(11 * 3_600_000 + 55 * 60_000);
  });
});

describe("what a queue's message holds", () => {
  const order = { orderId: "o-1", version: 3, status: "completed" };
  const card = { cardId: "c-1", event: "saved" };
  it("an order or a card event, as the rule put it, or inside an event EventBridge dead-lettered", () => {
    expect(eventOfBody(JSON.stringify(order))).toEqual(order);
    expect(eventOfBody(JSON.stringify(card))).toEqual(card);
    expect(eventOfBody(JSON.stringify({ ...card, event: "deleted" }))).toEqual({
      ...card,
      event: "deleted",
    });
    expect(eventOfBody(JSON.stringify({ source: "bog-payments", detail: order }))).toEqual(order);
  });
  it("anything else is no event: not JSON, not an object, not ours, or missing what names it", () => {
    for (const body of [
      "{not json",
      "null",
      "42",
      '"o-1"',
      "[]",
      JSON.stringify({ source: "someone-else", detail: order }),
      JSON.stringify({ source: "bog-payments", detail: null }),
      JSON.stringify({ ...order, orderId: 1 }),
      JSON.stringify({ ...order, version: "3" }),
      JSON.stringify({ ...order, version: 3.5 }),
      JSON.stringify({ ...card, cardId: 7 }),
      JSON.stringify({ ...card, event: "charged" }),
      JSON.stringify({ orderId: "o-1" }),
    ])
      expect(eventOfBody(body)).toBeNull();
  });
});

describe("the webhook id", () => {
  it("names the event: an order's version, a card's event", () => {
    expect(webhookIdOf({ orderId: "o-1", version: 7 } as never)).toBe("order_o-1_v7");
    expect(webhookIdOf({ cardId: "c-1", event: "deleted" } as never)).toBe("card_c-1_deleted");
  });
});

describe("the sender's settings, at cold start", () => {
  const valid = {
    WEBHOOK_URL: "https://shop.example/bog-events",
    WEBHOOK_SECRET_ID: "arn:aws:secretsmanager:eu-central-1:1:secret:x",
    WEBHOOK_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/1/q",
    WEBHOOK_DEAD_LETTER_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/1/dlq",
  };
  it("reads them", () => {
    expect(readWebhookSenderConfig(valid)).toEqual({
      url: "https://shop.example/bog-events",
      secretId: valid.WEBHOOK_SECRET_ID,
      queueUrl: valid.WEBHOOK_QUEUE_URL,
      deadLetterQueueUrl: valid.WEBHOOK_DEAD_LETTER_QUEUE_URL,
    });
  });
  it("takes them with the spaces around them trimmed", () => {
    const spaced = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, ` ${v} `]));
    expect(readWebhookSenderConfig(spaced)).toEqual(readWebhookSenderConfig(valid));
  });
  it("refuses each missing or wrong one by name, saying what it must be", () => {
    for (const [name, value, must] of [
      ["WEBHOOK_URL", undefined, "is required"],
      ["WEBHOOK_URL", "  ", "is required"],
      ["WEBHOOK_URL", "http://shop.example/x", "must be https"],
      ["WEBHOOK_URL", "not a url", "must be an absolute https URL"],
      ["WEBHOOK_SECRET_ID", " ", "is required"],
      ["WEBHOOK_QUEUE_URL", "sqs/q", "must be the queue's https URL"],
      ["WEBHOOK_QUEUE_URL", "xhttps://sqs.example/q", "must be the queue's https URL"],
      ["WEBHOOK_QUEUE_URL", "https://sqs.example/q x", "must be the queue's https URL"],
      ["WEBHOOK_DEAD_LETTER_QUEUE_URL", undefined, "must be the queue's https URL"],
    ] as const) {
      const env = { ...valid, [name]: value };
      expect(() => readWebhookSenderConfig(env)).toThrow(ConfigError);
      expect(() => readWebhookSenderConfig(env)).toThrow(`${name} ${must}`);
    }
  });
});
