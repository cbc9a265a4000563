import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isFromPaymentsStack, WEBHOOK_KEY_HEADER } from "../../lib/events/webhook-key.js";
import { REPO_ROOT } from "../support/paths.js";

/**
 * The shop's verification of a webhook delivery: the code the README quotes
 * (lib/events/webhook-key.ts), exactly as quoted.
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

  it("the README quotes this code, and names this header", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const source = readFileSync(join(REPO_ROOT, "lib/events/webhook-key.ts"), "utf8");
    const fn = source.slice(source.indexOf("export function isFromPaymentsStack"));
    expect(readme).toContain(fn.trim());
    expect(readme).toContain(WEBHOOK_KEY_HEADER);
  });
});
