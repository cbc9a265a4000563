import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WEBHOOK_KEY_HEADER } from "../../lib/events/webhook-key.js";
import { REPO_ROOT } from "../support/paths.js";

/**
 * The README quotes the shop's webhook check (lib/events/webhook-key.ts) for the
 * shop's developers to copy: the quote is the code, exactly. A file of its own, so
 * no mutation run (which instruments the source it reads) runs it.
 */
describe("the README's webhook check", () => {
  it("quotes lib/events/webhook-key.ts exactly, and names its header", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const source = readFileSync(join(REPO_ROOT, "lib/events/webhook-key.ts"), "utf8");
    const fn = source.slice(source.indexOf("export function isFromPaymentsStack"));
    expect(readme).toContain(fn.trim());
    expect(readme).toContain(WEBHOOK_KEY_HEADER);
  });
});
