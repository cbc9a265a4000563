import type { BusEventDetail } from "../events/bus-event.js";
import { type AttemptResult, attemptDelivery } from "./delivery-attempt.js";
import { nextRetryDelay } from "./retry-schedule.js";
import { signedHeaders } from "./signature.js";
import { webhookIdOf } from "./webhook-id.js";

/**
 * One delivery attempt of one event, signed afresh, and what to do next: the one
 * sender both the stack's function (`functions/webhook-sender/`) and `npm start` run.
 */

/** The largest body sent: an event is a few hundred bytes; more is not one of ours. */
export const MAX_BODY_BYTES = 64 * 1024;

export type SendOutcome =
  | { outcome: "delivered"; id: string }
  /** Try again after `delayMs`. */
  | { outcome: "retry"; id: string; reason: string; delayMs: number }
  /** Not tried again: refused by the shop, too large, or out of attempts. */
  | { outcome: "dead"; id: string; reason: string };

export interface SendDeps {
  url: string;
  /** The signing keys, newest first (`signing-secrets.ts`). */
  keys: readonly Buffer[];
  now: () => number;
  timeoutMs?: number;
  /** Multiplies the schedule's waits (WEBHOOK_RETRY_SCALE locally; 1 in AWS). */
  retryScale?: number;
}

/** `attempt` is this attempt's number (1 for the first); `firstQueuedAt` when the event was first queued (epoch ms). */
export async function sendEvent(
  detail: BusEventDetail,
  attempt: number,
  deps: SendDeps,
  firstQueuedAt?: number,
): Promise<SendOutcome> {
  const id = webhookIdOf(detail);
  const body = JSON.stringify(detail);
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES)
    return { outcome: "dead", id, reason: `body over ${MAX_BODY_BYTES} bytes` };
  const result: AttemptResult = await attemptDelivery(
    deps.url,
    body,
    signedHeaders(deps.keys, id, deps.now(), body),
    {
      now: deps.now,
      ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    },
  );
  if (result.kind === "delivered") return { outcome: "delivered", id };
  if (result.kind === "refused")
    return { outcome: "dead", id, reason: `refused: ${result.reason}` };
  const delayMs = nextRetryDelay(
    attempt,
    result.retryAfterMs,
    deps.retryScale ?? 1,
    firstQueuedAt === undefined ? undefined : deps.now() - firstQueuedAt,
  );
  return delayMs === null
    ? { outcome: "dead", id, reason: result.reason }
    : { outcome: "retry", id, reason: result.reason, delayMs };
}
