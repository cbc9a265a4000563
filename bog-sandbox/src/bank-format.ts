/**
 * How the bank writes dates in payment details and callbacks, copied from genuine
 * callbacks (test/fixtures): with microseconds, once in UTC with a "Z" (the document's
 * "YYYY-MM-DDTHH:MM:SS.ssssssZ") and once in Tbilisi time without a zone.
 */

/** Tbilisi is UTC+4 all year (no daylight saving time). */
const TBILISI_OFFSET_MS = 4 * 60 * 60 * 1000;

/** "2024-08-21T12:18:09.116000Z" */
export function zonedDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}000Z`;
}

/** "2024-08-21T16:18:09.116000" (Tbilisi local time, no zone) */
export function localDate(epochMs: number): string {
  return zonedDate(epochMs + TBILISI_OFFSET_MS).slice(0, -1);
}
