/**
 * Where the document is silent, the sandbox still has to answer. Each such choice is
 * listed in the package README under "Our readings", and every refusal that rests on
 * one says so in its message, so nobody mistakes it for the bank's rule.
 */
export const OUR_READING = "(a sandbox reading: the document does not state this)";

/** Texts: the document gives no length; the sandbox refuses more than this. */
export const MAX_TEXT = 1024;
/** Basket lines: the document gives no count; the sandbox refuses more than this. */
export const MAX_BASKET_ITEMS = 1000;
/** Quantities: the document says "The minimum value is 1" and no maximum. */
export const MAX_QUANTITY = 1_000_000;
/** Wallet tokens are a few kilobytes of JSON; the sandbox refuses more than this. */
export const MAX_WALLET_TOKEN = 16_384;

/**
 * `payment_detail.code` and `code_description`: the document names the fields and points
 * to a list it does not include. The sandbox uses three codes.
 */
export const RESPONSE_CODES = {
  "100": "Successful payment",
  "200": "Successful pre-authorization",
  "199": "Unknown",
} as const;
export type ResponseCode = keyof typeof RESPONSE_CODES;
