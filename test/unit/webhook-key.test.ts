import { describe, expect, it } from "vitest";
import { isFromPaymentsStack } from "../../lib/events/webhook-key.js";

/**
 * The shop's verification of a webhook delivery: the code the README quotes
 * (lib/events/webhook-key.ts; test/docs/readme-webhook-quote.test.ts holds the quote).
 */

const KEY = "9vJ2bqQW3kYp7HcT0mXr5sLd8aFz1uEo6iNg4hBt2wPe7yRc";

describe("verifying a webhook delivery", () => {
  it("the stack's key in the header: from the stack", () => {
    expect(isFromPaymentsStack(KEY, KEY)).toBe(true);
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["another key", KEY.replace("9", "8")],
    ["the key with a byte more", `${KEY} `],
    ["the key less a byte", KEY.slice(0, -1)],
    ["the key in another case", KEY.toLowerCase()],
    ["sent twice (two headers)", [KEY, KEY]],
  ])("%s: refused", (_, header) => {
    expect(isFromPaymentsStack(header, KEY)).toBe(false);
  });

  it("a shop without its key configured refuses everything, even an empty header", () => {
    expect(isFromPaymentsStack("", "")).toBe(false);
    expect(isFromPaymentsStack(undefined, "")).toBe(false);
  });
});
