/**
 * Amounts inside the sandbox are integer minor units (2500 = 25.00): the document's
 * currencies (GEL, USD, EUR, GBP) all have two decimal places. Amounts arrive as JSON
 * numbers (create order, refund, approve) and leave as strings (payment details).
 */

export type Minor = number;

const DIGITS = 2;
const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** A non-negative decimal text with at most two significant decimals, in minor units. */
export function minorFromText(text: string): Minor | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > DIGITS) return undefined;
  const minor = Number((match[1] ?? "0") + fraction.padEnd(DIGITS, "0"));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** A JSON number as minor units, when its shortest decimal form has at most two decimals. */
export function minorFromNumber(value: number): Minor | undefined {
  return Number.isFinite(value) ? minorFromText(String(value)) : undefined;
}

/** 2500 → "25.00": for people (the payment page) and for control answers. */
export function twoPlaces(minor: Minor): string {
  const digits = String(minor).padStart(DIGITS + 1, "0");
  return `${digits.slice(0, -DIGITS)}.${digits.slice(-DIGITS)}`;
}

/** 2500 → 25: the JSON number a create-order body carries. */
export function minorToNumber(minor: Minor): number {
  return Number(twoPlaces(minor));
}

/**
 * How the bank writes an amount in payment details, copied from genuine callbacks:
 * no trailing zeros but at least one decimal ("0.01", "0.0", "100.5").
 */
export function bankAmount(minor: Minor): string {
  const digits = String(minor).padStart(DIGITS + 1, "0");
  const fraction = digits.slice(-DIGITS).replace(/0+$/, "");
  return `${digits.slice(0, -DIGITS)}.${fraction === "" ? "0" : fraction}`;
}

/** quantity × unit, exactly; undefined past safe integers. */
export function times(minor: Minor, quantity: number): Minor | undefined {
  const product = minor * quantity;
  return Number.isSafeInteger(product) ? product : undefined;
}
