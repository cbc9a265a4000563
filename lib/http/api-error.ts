/**
 * The contract's error answer: `{"error": {"code", "message", "details"?}}` with a
 * stable machine code. An ApiError is an answer we mean to give; anything else that
 * escapes a handler is an internal error and says nothing about internals.
 */

/** Every code an error answer may carry; openapi.yaml's ErrorCode lists exactly these (a test checks). */
export const API_ERROR_CODES = [
  "invalid_request",
  "unknown_product",
  "unsupported_media_type",
  "payload_too_large",
  "idempotency_conflict",
  "order_not_found",
  "bank_unavailable",
  "service_unavailable",
  "bank_rejected",
  "invalid_state",
  "amount_exceeds_balance",
  "partial_not_allowed",
  "card_not_found",
  "card_expired",
  "invalid_signature",
  "internal_error",
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string, details?: ErrorDetail[]) =>
  new ApiError(400, "invalid_request", message, details);

export const orderNotFound = () => new ApiError(404, "order_not_found", "no order with that id");

export const cardNotFound = () => new ApiError(404, "card_not_found", "no card with that id");
