import type { WebhookHeaders } from "./signature.js";

/**
 * One POST of an event to the shop's backend, and what its answer means:
 *
 * - 2xx: delivered;
 * - 408, 429 (its `Retry-After` read), 5xx, a redirect (not followed: the URL is the
 *   shop's to fix), no answer within the attempt's time, a refused connection: tried
 *   again later;
 * - any other 4xx (400, 401, 410, …): the shop refused it; not tried again.
 */

export type AttemptResult =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; reason: string; retryAfterMs?: number }
  | { kind: "refused"; reason: string };

/** One attempt's time; the shop should answer first and work after. */
export const ATTEMPT_TIMEOUT_MS = 15_000;

/** The user agent of every delivery. */
const USER_AGENT = "bog-payments-webhooks/1";

/** An HTTP date as RFC 9110 has senders write it (IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * `Retry-After` in seconds or as an HTTP date; undefined when absent or anything else
 * (JavaScript's Date.parse alone would read "in 12" as a day of 2001).
 */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return HTTP_DATE.test(text) ? Math.max(0, Date.parse(text) - nowMs) : undefined;
}

export function classify(status: number, retryAfter: string | null, nowMs: number): AttemptResult {
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status === 408 || status === 429 || status >= 500 || (status >= 300 && status < 400)) {
    const wait = status === 429 ? retryAfterMs(retryAfter, nowMs) : undefined;
    return {
      kind: "retry",
      // Equivalent mutant, not disabled (it shares its line with tested ones): `<` → `<=`: no status of 400 comes this way (only 3xx, 408, 429, 5xx)
      reason: status < 400 ? `HTTP ${status} (a redirect, not followed)` : `HTTP ${status}`,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    };
  }
  return { kind: "refused", reason: `HTTP ${status}` };
}

export async function attemptDelivery(
  url: string,
  body: string,
  headers: WebhookHeaders,
  options: { timeoutMs?: number; now: () => number },
): Promise<AttemptResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? ATTEMPT_TIMEOUT_MS);
  const result = await post(url, body, headers, abort.signal, options.now);
  // Stryker disable next-line CallExpression: a timer left to fire aborts a finished request, which is nothing
  clearTimeout(timer);
  return result;
}

/** The POST itself; any failure to get an answer is one to try again. */
async function post(
  url: string,
  body: string,
  headers: WebhookHeaders,
  signal: AbortSignal,
  now: () => number,
): Promise<AttemptResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": USER_AGENT,
        ...headers,
      },
      body,
      redirect: "manual",
      signal,
    });
    // The answer's body is not ours to read past its end, nor to keep.
    await response.body?.cancel().catch(() => undefined);
    return classify(response.status, response.headers.get("retry-after"), now());
  } catch (error) {
    return {
      kind: "retry",
      reason: signal.aborted
        ? "no answer in time"
        : `network error (${error instanceof Error ? (causeOf(error) ?? error.message) : String(error)})`,
    };
  }
}

/** fetch's "fetch failed" hides the reason (ECONNREFUSED, …) in its cause. */
function causeOf(error: Error): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  return typeof cause?.message === "string" ? cause.message : undefined;
}
