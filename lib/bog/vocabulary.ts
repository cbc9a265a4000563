/**
 * The bank's words for currencies, payment methods, capture modes, languages and
 * themes, as its API documents them: one list each, used by our validation, our
 * client, the catalog and the sandbox alike.
 */

export const CURRENCIES = ["GEL", "USD", "EUR", "GBP"] as const;
export type Currency = (typeof CURRENCIES)[number];

export const PAYMENT_METHODS = [
  "card",
  "google_pay",
  "apple_pay",
  "bog_p2p",
  "bog_loyalty",
  "bnpl",
  "bog_loan",
  "gift_card",
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Narrows a value to one of a list's words. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}
