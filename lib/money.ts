/**
 * Money is integer minor units (tetri, cents) everywhere inside. This module is
 * the only place that turns decimal text or JSON numbers into minor units and
 * back, with string arithmetic so no float ever rounds a price.
 */

/** An amount in minor units: a non-negative safe integer (2500 = 25.00). */
export type Minor = number;

/** Every currency the bank accepts (GEL, USD, EUR, GBP) has two decimal places. */
const MINOR_DIGITS = 2;

/**
 * The largest amount this service handles, for a price and for an order's total:
 * 999,999,999.99 (99,999,999,999 minor units).
 *
 * Why this bound: amounts leave as JSON numbers (the bank's API takes numbers). A
 * decimal of at most 15 significant digits, read as the nearest double, prints back
 * as itself (IEEE 754's 15-digit guarantee); past that, JSON may print a neighbour:
 * 90071992547409.91 is a safe integer in minor units (16 digits) and goes out as
 * 90071992547409.9. Every two-decimal amount up to this bound has at most 11
 * significant digits, so each price, line and total below it reaches the bank exactly,
 * with room to spare. Its minor units are also far below 2^53, so totals checked
 * against it are exact integers. No shop's basket comes near a billion lari.
 */
export const MAX_AMOUNT: Minor = 99_999_999_999;

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
  // Stryker disable next-line StringLiteral: DECIMAL's first group is not optional, so a match always has it: the fallback (for noUncheckedIndexedAccess) is never taken
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
  // NaN, infinities, negatives and exponent forms print as text parseAmount refuses.
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
 * decimal text gives the double whose shortest form is that text again, which holds
 * up to MAX_AMOUNT; above it this throws RangeError rather than send a neighbour.
 */
export function amountToNumber(minor: Minor): number {
  // formatAmount refuses anything that is not minor units.
  if (minor > MAX_AMOUNT) {
    throw new RangeError(
      `amount ${formatAmount(minor)} is above the largest amount, ${formatAmount(MAX_AMOUNT)}`,
    );
  }
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

/**
 * unit × quantity in exact integer arithmetic, or undefined when the product is above
 * MAX_AMOUNT (whatever its size: nothing is rounded on the way to the check).
 */
export function multiplyWithinMax(unit: Minor, quantity: number): Minor | undefined {
  assertMinor(unit);
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`quantity must be a non-negative integer, got ${quantity}`);
  }
  const product = BigInt(unit) * BigInt(quantity);
  return product <= BigInt(MAX_AMOUNT) ? Number(product) : undefined;
}

/** The sum in exact integer arithmetic, or undefined when it is above MAX_AMOUNT. */
export function sumWithinMax(amounts: readonly Minor[]): Minor | undefined {
  let total = 0n;
  for (const amount of amounts) {
    assertMinor(amount);
    total += BigInt(amount);
  }
  return total <= BigInt(MAX_AMOUNT) ? Number(total) : undefined;
}

function assertMinor(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`not an amount in minor units: ${value}`);
  }
}
