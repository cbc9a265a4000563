/** ISO 8601 without milliseconds, "2026-11-26T20:15:00Z": the one form of a time in our records and answers. */
export function isoSeconds(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
