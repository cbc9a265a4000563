import { BankResponseError } from "../errors.js";
import { type PaymentDetails, parsePaymentDetails } from "./payment-details.js";

/**
 * A bank callback's body, parsed only after its signature has been checked on the
 * raw bytes (or when it is about to be confirmed with the bank anyway).
 */

interface CallbackEvent {
  event: "order_payment";
  zonedRequestTime: string | null;
  details: PaymentDetails;
}

export type CallbackParse = { ok: true; value: CallbackEvent } | { ok: false; problem: string };

export function parseCallbackEvent(raw: Uint8Array): CallbackParse {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    return { ok: false, problem: "the body is not UTF-8 JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, problem: "the body is not a JSON object" };
  }
  const event = value as Record<string, unknown>;
  if (event.event !== "order_payment") return { ok: false, problem: "event is not order_payment" };
  try {
    return {
      ok: true,
      value: {
        event: "order_payment",
        zonedRequestTime:
          typeof event.zoned_request_time === "string" ? event.zoned_request_time : null,
        details: parsePaymentDetails(event.body),
      },
    };
  } catch (error) {
    return {
      ok: false,
      // Stryker disable next-line StringLiteral: parsePaymentDetails throws only BankResponseError for any JSON value: this fallback, a guard for a future parser, is never produced
      problem: error instanceof BankResponseError ? error.message : "unreadable body",
    };
  }
}
