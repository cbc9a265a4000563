/**
 * When a delivery the shop did not take is tried again: the schedule the Standard
 * Webhooks specification suggests, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after
 * each failed attempt: eight attempts over 27 h 35 min (at least 24 hours, docs/events-and-webhooks.md). A 429's `Retry-After` waits longer when it asks to, never past 11 h 55 min (SQS
 * hides a message at most 12 hours from when it was received, and the attempt took some). Locally the waits are multiplied by
 * `WEBHOOK_RETRY_SCALE`.
 */

export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
] as const;

/** Every attempt there is: the first, and one after each wait. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

export const MAX_WAIT_MS = 12 * 3_600_000 - 5 * 60_000;

/**
 * An event is given up no sooner than this after it was first queued, however many
 * attempts were counted: SQS counts a receive the sender never saw as one (a throttled
 * or failed invocation), and the shop is promised a day.
 */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** The schedule's last wait: how long the attempts after its end wait. */
const LAST_WAIT_MS = RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1] ?? MAX_WAIT_MS;

/**
 * The wait before the next attempt after `attemptsMade` failed ones, or null when none
 * is left (the event goes to the dead letters): past the schedule's end, an event first
 * queued less than `GIVE_UP_AFTER_MS` ago (`ageMs`) waits the last wait again.
 */
export function nextRetryDelay(
  attemptsMade: number,
  retryAfterMs: number | undefined = undefined,
  scale = 1,
  ageMs = Number.POSITIVE_INFINITY,
): number | null {
  const delay =
    RETRY_DELAYS_MS[attemptsMade - 1] ?? (ageMs < GIVE_UP_AFTER_MS * scale ? LAST_WAIT_MS : null);
  if (delay === null) return null;
  return Math.min(MAX_WAIT_MS, Math.max(delay, retryAfterMs ?? 0)) * scale;
}
