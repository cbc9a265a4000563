import { describe, expect, it } from "vitest";
import { classify, retryAfterMs } from "../../../lib/webhooks/delivery-attempt.js";

/**
 * What the shop's answer to one webhook POST means: delivered, retried (and when), or
 * dead at once.
 */

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
