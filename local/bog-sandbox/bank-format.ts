import { MINOR_DIGITS, type Minor } from "../../lib/money.js";

/**
 * How the bank writes values in receipts and callbacks, copied from genuine
 * bodies (shared/vectors/bog-callbacks): amounts as strings without trailing
 * zeros but with at least one decimal ("0.01", "0.0", "100.5"), dates with
 * microseconds, once in UTC with a "Z" and once in Tbilisi time without a zone.
 */

/** Tbilisi is UTC+4 all year (no daylight saving time). */
const TBILISI_OFFSET_MS = 4 * 60 * 60 * 1000;

export function bankAmount(minor: Minor): string {
  const digits = String(minor).padStart(MINOR_DIGITS + 1, "0");
  const whole = digits.slice(0, -MINOR_DIGITS);
  const fraction = digits.slice(-MINOR_DIGITS).replace(/0+$/, "");
  return `${whole}.${fraction === "" ? "0" : fraction}`;
}

/** "2024-08-21T12:18:09.116000Z" */
export function zonedDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 23)}000Z`;
}

/** "2024-08-21T16:18:09.116000" (Tbilisi local time, no zone) */
export function localDate(epochMs: number): string {
  return zonedDate(epochMs + TBILISI_OFFSET_MS).slice(0, -1);
}
