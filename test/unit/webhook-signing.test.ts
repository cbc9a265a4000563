import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../lib/errors.js";
import { signedHeaders } from "../../lib/webhooks/signature.js";
import { signingSecretSource } from "../../lib/webhooks/signing-secret-source.js";
import {
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
  });

  it("the stored JSON: current, and previous while a rotation runs; anything else refused without its text", () => {
    const current = newKey();
    const previous = newKey();
    expect(parseStoredSecrets(JSON.stringify({ current }))).toEqual({ current });
    expect(parseStoredSecrets(JSON.stringify({ current, previous }))).toEqual({
      current,
      previous,
    });
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
    let clock = 0;
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
    clock = SECRET_CACHE_MS - 1;
    expect(await source.get()).toBe(a);
    clock = SECRET_CACHE_MS;
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
    const text = "not-json-secret-text";
    const malformed = signingSecretSource("arn:secret", SECRET_CACHE_MS, async () => text);
    const error = await malformed.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect(String((error as Error).message)).not.toContain(text);
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
  it("refuses each missing or wrong one by name", () => {
    for (const [name, value] of [
      ["WEBHOOK_URL", undefined],
      ["WEBHOOK_URL", "http://shop.example/x"],
      ["WEBHOOK_URL", "not a url"],
      ["WEBHOOK_SECRET_ID", " "],
      ["WEBHOOK_QUEUE_URL", "sqs/q"],
      ["WEBHOOK_DEAD_LETTER_QUEUE_URL", undefined],
    ] as const) {
      const env = { ...valid, [name]: value };
      expect(() => readWebhookSenderConfig(env)).toThrow(ConfigError);
      expect(() => readWebhookSenderConfig(env)).toThrow(name);
    }
  });
});
