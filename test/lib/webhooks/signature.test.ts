import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signedHeaders } from "../../../lib/webhooks/signature.js";
import { keyOf, newKey } from "../../../lib/webhooks/signing-secrets.js";

/**
 * The webhook's signature as the Standard Webhooks specification defines it, checked
 * against the specification's own example.
 */

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
