import { printable } from "./merchant-format.js";

/**
 * The report of `npm run bank:check`: one line per finding as it happens, and a
 * summary at the end. Findings are `ok` (as the product expects and the sandbox
 * does), `differs` (the bank does something the sandbox does not; the product copes,
 * but the sandbox and its tests assume otherwise), `FAILED` (something the product
 * relies on is not so) and `note` (what was seen, nothing to judge).
 *
 * Every line passes through `withhold`: a registered secret (the client secret, each
 * token) is replaced wherever it appears, even inside a bank's message, so that no
 * line can carry one whatever a step prints; control characters (from a bank's text)
 * are escaped.
 */

export type Outcome = "ok" | "differs" | "failed" | "note";

const LABEL: Record<Outcome, string> = {
  ok: "ok      ",
  differs: "differs ",
  failed: "FAILED  ",
  note: "note    ",
};

const WITHHELD = "[withheld]";

export class Report {
  private readonly secrets = new Set<string>();
  private readonly found: { outcome: Outcome; text: string }[] = [];

  constructor(private readonly write: (line: string) => void) {}

  /** Never print this string, nor any part of it 12 characters or longer. */
  withhold(secret: string): void {
    if (secret !== "") this.secrets.add(secret);
  }

  line(text = ""): void {
    this.write(this.scrub(text));
  }

  section(title: string): void {
    this.line();
    this.line(title);
  }

  ok(text: string): void {
    this.add("ok", text);
  }

  differs(text: string): void {
    this.add("differs", text);
  }

  failed(text: string): void {
    this.add("failed", text);
  }

  note(text: string): void {
    this.add("note", text);
  }

  count(outcome: Outcome): number {
    return this.found.filter((f) => f.outcome === outcome).length;
  }

  /** The closing summary; 0 when nothing failed, else 1. */
  finish(): number {
    const failed = this.count("failed");
    const differs = this.found.filter((f) => f.outcome === "differs");
    this.section("Report");
    this.line(`  matched: ${this.count("ok")}`);
    this.line(`  differed from the sandbox: ${differs.length}`);
    for (const { text } of differs) this.line(`    - ${text}`);
    this.line(`  failed: ${failed}`);
    for (const { text } of this.found.filter((f) => f.outcome === "failed"))
      this.line(`    - ${text}`);
    this.line(
      failed === 0
        ? "bank:check passed (a difference from the sandbox is a finding to look at, not a failure)"
        : `bank:check FAILED: ${failed} check(s)`,
    );
    return failed === 0 ? 0 : 1;
  }

  private add(outcome: Outcome, text: string): void {
    this.found.push({ outcome, text: this.scrub(text) });
    this.line(`  ${LABEL[outcome]}${text}`);
  }

  private scrub(text: string): string {
    let clean = printable(text);
    for (const secret of this.secrets) clean = withholdPieces(clean, secret);
    return clean;
  }
}

/** Replaces `secret` and every piece of it of 12 characters or more (a cut-off quote). */
function withholdPieces(text: string, secret: string): string {
  let clean = text.split(secret).join(WITHHELD);
  const WINDOW = Math.min(12, secret.length);
  for (let i = 0; i + WINDOW <= clean.length; i += 1) {
    const piece = clean.slice(i, i + WINDOW);
    if (piece.includes("[withheld]")) continue;
    if (secret.includes(piece)) {
      // Grow the match as far as it stays inside the secret, then cut it out.
      let end = i + WINDOW;
      while (end < clean.length && secret.includes(clean.slice(i, end + 1))) end += 1;
      clean = `${clean.slice(0, i)}${WITHHELD}${clean.slice(end)}`;
    }
  }
  return clean;
}
