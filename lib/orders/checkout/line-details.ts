import type { Minor } from "../../money.js";

/**
 * The basket line's fields the bank's create order documents beyond price and
 * quantity, each optional: `vat_percent` (here `vatPercent`, a decimal string from 0 to
 * 100 with at most two places), `image` (an https URL), `package_code`, `tin` and
 * `pinfl` (1 to 64 printable characters). One set of rules for the catalog file and the
 * merchant basket; the line's `total_price` and `vat` are computed from them
 * (`lineVat`), never taken from a caller. docs/create-order-options.md.
 */

export interface LineDetails {
  vatPercent?: string;
  image?: string;
  packageCode?: string;
  tin?: string;
  pinfl?: string;
}

export const LINE_DETAIL_FIELDS = ["vatPercent", "image", "packageCode", "tin", "pinfl"] as const;
const MAX_CODE = 64;
const MAX_IMAGE_URL = 2048;

const PERCENT = /^(100(\.0{1,2})?|[1-9]?[0-9](\.[0-9]{1,2})?)$/;
const PRINTABLE = /^[^\p{C}]+$/u;

/** What is wrong with one field's value, or undefined when it is fine. */
function lineDetailProblem(
  field: (typeof LINE_DETAIL_FIELDS)[number],
  value: unknown,
): string | undefined {
  if (typeof value !== "string") return `${field} must be a string`;
  switch (field) {
    case "vatPercent":
      return PERCENT.test(value)
        ? undefined
        : 'vatPercent must be a decimal string from 0 to 100 with at most two places, like "18"';
    case "image":
      return isHttpsUrl(value) && value.length <= MAX_IMAGE_URL
        ? undefined
        : `image must be an https URL of at most ${MAX_IMAGE_URL} characters`;
    default:
      return value.length <= MAX_CODE && value.trim() !== "" && PRINTABLE.test(value)
        ? undefined
        : `${field} must be 1 to ${MAX_CODE} printable characters`;
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:" && PRINTABLE.test(value);
  } catch {
    return false;
  }
}

/**
 * The line's details from a record (a file's product, a stored item, a request's item):
 * each present field checked, problems named by `at` + field.
 */
export function readLineDetails(
  raw: Record<string, unknown>,
  at: string,
  fields: readonly (typeof LINE_DETAIL_FIELDS)[number][] = LINE_DETAIL_FIELDS,
): { details: LineDetails; problems: Array<{ path: string; message: string }> } {
  const details: LineDetails = {};
  const problems: Array<{ path: string; message: string }> = [];
  for (const field of fields) {
    const value = raw[field];
    if (value === undefined || value === null) continue;
    const problem = lineDetailProblem(field, value);
    if (problem) problems.push({ path: `${at}${field}`, message: problem });
    else details[field] = value as string;
  }
  return { details, problems };
}

/** A percentage with at most two places, in hundredths of a percent ("18.5" → 1850). */
export function basisPoints(percent: string): number {
  const [whole = "0", fraction = ""] = percent.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/**
 * The VAT inside a line's total, prices including VAT: total × p / (100 + p), to the
 * tetri, half up. Integer arithmetic only (a total up to 10^11 tetri times 10^4 stays
 * far below 2^53).
 */
export function lineVat(lineTotal: Minor, vatPercent: string): Minor {
  const bp = basisPoints(vatPercent);
  const denominator = 10_000 + bp;
  return Math.floor((2 * lineTotal * bp + denominator) / (2 * denominator));
}
