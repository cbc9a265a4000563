/**
 * Money is integer minor units (tetri, cents) everywhere inside. This module is
 * the only place that turns decimal text or JSON numbers into minor units and
 * back, with string arithmetic so no float ever rounds a price.
 */

/** An amount in minor units: a non-negative safe integer (2500 = 25.00). */
export type Minor = number;

/** Every currency the bank accepts (GEL, USD, EUR, GBP) has two decimal places. */
export const MINOR_DIGITS = 2;

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Parses a non-negative decimal string ("12.5", "12.50", "0.0", "7") into minor units.
 * Returns undefined for anything else: signs, exponents, blanks, more than two
 * significant decimal places ("1.005"), or an amount beyond safe integers.
 * Trailing zeros past two places are accepted ("1.500"), since they are exact.
 */
export function parseAmount(text: string): Minor | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > MINOR_DIGITS) return undefined;
  const minor = Number(whole + fraction.padEnd(MINOR_DIGITS, "0"));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/**
 * Reads a JSON number as an amount. A double is accepted only when its shortest
 * decimal form (what JSON.stringify prints) has at most two decimal places, so
 * 12.5 → 1250 but 0.1 + 0.2 (0.30000000000000004) is refused, never rounded.
 */
export function amountFromNumber(value: number): Minor | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  return parseAmount(String(value));
}

/** Formats minor units with exactly two decimal places: 2500 → "25.00". */
export function formatAmount(minor: Minor): string {
  assertMinor(minor);
  const digits = String(minor).padStart(MINOR_DIGITS + 1, "0");
  return `${digits.slice(0, -MINOR_DIGITS)}.${digits.slice(-MINOR_DIGITS)}`;
}

/**
 * The JSON number the bank expects for an amount: 2550 → 25.5. Parsing the exact
 * decimal text gives the double whose shortest form is that text again.
 */
export function amountToNumber(minor: Minor): number {
  return Number(formatAmount(minor));
}

/** Sum of amounts; throws RangeError rather than lose precision. */
export function sumAmounts(amounts: readonly Minor[]): Minor {
  let total = 0;
  for (const amount of amounts) {
    assertMinor(amount);
    total += amount;
  }
  assertMinor(total);
  return total;
}

/** unit × quantity for a whole quantity; throws RangeError rather than lose precision. */
export function multiplyAmount(unit: Minor, quantity: number): Minor {
  assertMinor(unit);
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`quantity must be a non-negative integer, got ${quantity}`);
  }
  const product = unit * quantity;
  assertMinor(product);
  return product;
}

function assertMinor(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`not an amount in minor units: ${value}`);
  }
}
