import type { BankCredentials } from "../lib/bog/credentials.js";
import type { TokenSource } from "../lib/bog/token-cache.js";
import { requestTokenAnswer, type TokenAnswer } from "../lib/bog/token-endpoint.js";
import {
  expiresInToEpochMs,
  jwtExpiry,
  MAX_TOKEN_LIFETIME_MS,
  tokenExpiry,
} from "../lib/bog/token-lifetime.js";
import { SANDBOX } from "./bank-check-expectations.js";
import type { Report } from "./bank-check-report.js";

/**
 * The token step of `npm run bank:check`: asks the bank's token endpoint with the
 * product's own request, then says which form of `expires_in` came back and what the
 * JWT's `exp` claim says (the payload only is decoded; the token is never printed),
 * and when the product's rule (lib/bog/token-lifetime.ts) would refresh it.
 */

export type ExpiresInForm =
  | "seconds"
  | "epoch-seconds"
  | "epoch-ms"
  | "string"
  | "absent"
  | "null"
  | "unreadable-number"
  | "other";

/** The form of `expires_in`, named by the same thresholds as the product's rule. */
export function expiresInForm(value: unknown): ExpiresInForm {
  if (value === undefined) return "absent";
  if (value === null) return "null";
  if (typeof value === "string") return "string";
  if (typeof value !== "number") return "other";
  const epochMs = expiresInToEpochMs(value, 0);
  if (epochMs === undefined) return "unreadable-number";
  if (value >= 1e12) return "epoch-ms";
  if (value >= 1e9) return "epoch-seconds";
  return "seconds";
}

const FORM_TEXT: Record<ExpiresInForm, string> = {
  seconds: "a number of seconds",
  "epoch-seconds": "a number: an epoch in seconds",
  "epoch-ms": "a number: an epoch in milliseconds (as the bank's documented example)",
  string: "a string (the product's rule reads numbers only: it relies on the JWT's exp)",
  absent: "absent",
  null: "null",
  "unreadable-number": "a number that is not a lifetime (zero, negative or not finite)",
  other: "neither a number nor a string",
};

/** Shown as the bank sent it, cut short: expires_in is no secret, but it is the bank's text. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function describeToken(answer: TokenAnswer, now: number, report: Report): void {
  report.ok("the bank issued a token for these credentials");
  if (answer.tokenType === SANDBOX.tokenType) report.ok(`token_type ${SANDBOX.tokenType}`);
  else report.differs(`token_type is ${shown(answer.tokenType)} (the sandbox says Bearer)`);

  const form = expiresInForm(answer.expiresIn);
  const formText = `expires_in: ${FORM_TEXT[form]} (${shown(answer.expiresIn)})`;
  if (form === SANDBOX.expiresInForm) report.ok(formText);
  else report.differs(`${formText}; the sandbox sends ${FORM_TEXT[SANDBOX.expiresInForm]}`);

  const exp = jwtExpiry(answer.accessToken);
  if (exp === undefined) {
    report.differs("the token has no readable JWT exp claim (the sandbox's tokens have one)");
  } else {
    const inSeconds = Math.round((exp - now) / 1000);
    report.ok(`JWT exp: ${iso(exp)} (${inSeconds} s from now)`);
    const fromExpiresIn = expiresInToEpochMs(answer.expiresIn, now);
    if (fromExpiresIn !== undefined && Math.abs(fromExpiresIn - exp) > 60_000) {
      report.differs(
        `expires_in read as ${iso(fromExpiresIn)} disagrees with the JWT exp by more than a minute`,
      );
    }
  }

  // The same preference as tokenExpiry: the JWT's exp while it is in the future, else expires_in.
  const fromJwt = exp !== undefined && exp > now;
  const candidate = fromJwt ? exp : expiresInToEpochMs(answer.expiresIn, now);
  if (candidate === undefined || candidate <= now) {
    report.differs(
      "neither exp nor expires_in gives a lifetime: the product would fetch a new token every minute",
    );
  } else {
    const keptUntil = tokenExpiry(answer.accessToken, answer.expiresIn, now);
    const capped = keptUntil - now === MAX_TOKEN_LIFETIME_MS ? ", capped at one hour" : "";
    const source = fromJwt ? "the JWT's exp" : "expires_in";
    report.note(`the product keeps this token until ${iso(keptUntil)} (from ${source}${capped})`);
  }
}

/**
 * The bank client's token source for the check: the token just described, and a new
 * one from the bank whenever the client drops it (a 401). Each is withheld from the report.
 */
export class CheckTokens implements TokenSource {
  private current: string | undefined;

  constructor(
    private readonly tokenUrl: string,
    private readonly credentials: BankCredentials,
    private readonly report: Report,
  ) {}

  async fetch(deadline: number): Promise<TokenAnswer> {
    const answer = await requestTokenAnswer(this.tokenUrl, this.credentials, deadline);
    this.report.withhold(answer.accessToken);
    this.current = answer.accessToken;
    return answer;
  }

  async get(deadline: number): Promise<string> {
    return this.current ?? (await this.fetch(deadline)).accessToken;
  }

  async invalidate(accessToken: string): Promise<void> {
    if (this.current === accessToken) this.current = undefined;
  }
}
