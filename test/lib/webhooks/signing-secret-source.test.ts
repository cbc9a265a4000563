import { describe, expect, it } from "vitest";
import { signingSecretSource } from "../../../lib/webhooks/signing-secret-source.js";
import {
  newKey,
  SECRET_CACHE_MS,
  WebhookSecretError,
} from "../../../lib/webhooks/signing-secrets.js";

/** The signing keys read from Secrets Manager, cached, and what an unreadable secret means. */

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
