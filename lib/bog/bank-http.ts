import { setTimeout as sleep } from "node:timers/promises";
import { BankUnavailableError } from "../errors.js";

/**
 * One request to the bank, with the retries that are safe. Every call has a
 * deadline (the caller's remaining time); each attempt's timeout fits inside it.
 * Retried: network errors, timeouts, 429 and 5xx, with exponential backoff and full
 * jitter, honouring Retry-After. A request that may have changed something at the
 * bank (a POST) is retried only when it is `retrySafe`: it carries an
 * Idempotency-Key, or it is the token request, which changes nothing.
 */

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest one attempt may take, deadline permitting. */
  attemptTimeoutMs: number;
  /** Not worth starting an attempt with less time than this left. */
  minAttemptMs: number;
}

const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  attemptTimeoutMs: 8000,
  minAttemptMs: 250,
};

export interface BankRequest {
  /** For errors and logs: "createOrder", "token", … */
  operation: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body?: string;
  retrySafe: boolean;
}

export interface BankResponse {
  status: number;
  headers: Headers;
  text: string;
  attempts: number;
}

export interface SendOptions {
  /** Epoch ms by which every attempt must be over. */
  deadline: number;
  policy?: RetryPolicy;
  now?: () => number;
  random?: () => number;
  /** Told of every 429 from the bank, so that its rate limit shows on a dashboard. */
  onThrottled?: () => void;
}

const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), if present. */
export function retryAfterSeconds(headers: Headers, now: number): number | null {
  const value = headers.get("retry-after");
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

export async function sendToBank(
  request: BankRequest,
  options: SendOptions,
): Promise<BankResponse> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxAttempts = request.retrySafe ? policy.maxAttempts : 1;
  let lastFailure: {
    reason: "timeout" | "network" | "status";
    status: number | null;
    retryAfter: number | null;
  } = {
    reason: "timeout",
    status: null,
    retryAfter: null,
  };
  let attempts = 0;

  while (attempts < maxAttempts) {
    const remaining = options.deadline - now();
    if (remaining < policy.minAttemptMs) break;
    attempts += 1;
    const timeout = Math.min(policy.attemptTimeoutMs, remaining);
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: "error",
        signal: AbortSignal.timeout(timeout),
      });
      const text = await response.text();
      if (response.status === 429) options.onThrottled?.();
      if (!RETRYABLE_STATUS(response.status)) {
        return { status: response.status, headers: response.headers, text, attempts };
      }
      lastFailure = {
        reason: "status",
        status: response.status,
        retryAfter: retryAfterSeconds(response.headers, now()),
      };
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      lastFailure = { reason: timedOut ? "timeout" : "network", status: null, retryAfter: null };
    }
    if (attempts >= maxAttempts) break;
    const backoff =
      random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
    const delay = Math.max(backoff, (lastFailure.retryAfter ?? 0) * 1000);
    // No point waiting for a retry that cannot finish before the deadline.
    if (now() + delay + policy.minAttemptMs > options.deadline) break;
    await sleep(delay);
  }
  throw new BankUnavailableError(
    request.operation,
    lastFailure.reason,
    lastFailure.status,
    lastFailure.retryAfter,
    attempts,
  );
}

/** The bank's message from an error body (`message` or Keycloak's `error_description`), trimmed. */
export function bankMessage(text: string): string {
  let message = text;
  try {
    const body = JSON.parse(text) as {
      message?: unknown;
      error_description?: unknown;
      error?: unknown;
    };
    const found = body.message ?? body.error_description ?? body.error;
    if (typeof found === "string") message = found;
  } catch {
    // not JSON: use the text
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = message.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean || "(no message)";
}
