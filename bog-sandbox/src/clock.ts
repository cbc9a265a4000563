/**
 * The sandbox's own clock. Tests move it forward to expire orders and tokens
 * without waiting minutes (`POST /_sandbox/clock`); it never goes back.
 */
/** A hundred years: far enough for any test, well inside what a Date can show. */
const MAX_OFFSET_MS = 100 * 365 * 86_400_000;

export class SandboxClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Refuses a move that would take the clock more than MAX_OFFSET_MS ahead of real time. */
  advance(ms: number): boolean {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward");
    if (this.offsetMs + ms > MAX_OFFSET_MS) return false;
    this.offsetMs += ms;
    return true;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
