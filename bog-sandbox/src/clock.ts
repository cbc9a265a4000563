/**
 * The sandbox's own clock. Tests move it forward to expire orders and tokens
 * without waiting minutes (`POST /_sandbox/clock`); it never goes back.
 */
export class SandboxClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward");
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
