import { describe, expect, it } from "vitest";
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
} from "../../../lib/webhooks/signing-secrets.js";

/**
 * The signing secrets' stored form (`whsec_`), and rotation: two keys at once until it
 * is finished.
 */

const SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

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
