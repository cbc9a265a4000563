import { describe, expect, it } from "vitest";
import {
  GIVE_UP_AFTER_MS,
  MAX_ATTEMPTS,
  MAX_WAIT_MS,
  nextRetryDelay,
  RETRY_DELAYS_MS,
} from "../../../lib/webhooks/retry-schedule.js";

/**
 * The webhook's retry schedule: its waits, Retry-After honoured within bounds, and
 * giving up after a day.
 */

describe("the retry schedule", () => {
  it("past its last wait, an event first queued less than a day ago waits the last wait again; a day or more, none", () => {
    const last = RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1];
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 1, GIVE_UP_AFTER_MS - 1)).toBe(last);
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 1, GIVE_UP_AFTER_MS)).toBeNull();
    expect(nextRetryDelay(MAX_ATTEMPTS)).toBeNull();
    // Scaled locally: the day too.
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 0.001, GIVE_UP_AFTER_MS * 0.001 - 1)).toBe(
      (last as number) * 0.001,
    );
    expect(nextRetryDelay(MAX_ATTEMPTS, undefined, 0.001, GIVE_UP_AFTER_MS * 0.001)).toBeNull();
  });
  it("a Retry-After longer than the wait is waited, never past 11 h 55 min", () => {
    expect(nextRetryDelay(1, 60_000)).toBe(60_000);
    expect(nextRetryDelay(1, 1000)).toBe(RETRY_DELAYS_MS[0]);
    expect(nextRetryDelay(1, 24 * 3_600_000)).toBe(MAX_WAIT_MS);
    expect(MAX_WAIT_MS).toBe(11 * 3_600_000 + 55 * 60_000);
  });
});
