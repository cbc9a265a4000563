/**
 * The contract's error answer: `{"error": {"code", "message", "details"?}}` with a
 * stable machine code. The domain refuses with a DomainError (a code and the facts);
 * this module alone decides the status and headers each code is answered with.
 * Anything else that escapes a handler is an internal error and says nothing about
 * internals.
 */
import {
  DOMAIN_ERROR_CODES,
  type DomainError,
  type DomainErrorCode,
  type ErrorDetail,
} from "../domain-error.js";

/** Every code an error answer may carry; openapi.yaml's ErrorCode lists exactly these (a test checks). */
export const API_ERROR_CODES = [
  ...DOMAIN_ERROR_CODES,
  "unsupported_media_type",
  "payload_too_large",
  "bank_unavailable",
  "internal_error",
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The one table from a domain code to its HTTP status. */
const STATUS_OF: Record<DomainErrorCode, number> = {
  invalid_request: 400,
  unknown_product: 400,
  invalid_signature: 401,
  order_not_found: 404,
  card_not_found: 404,
  idempotency_conflict: 409,
  invalid_state: 409,
  amount_exceeds_balance: 409,
  partial_not_allowed: 409,
  card_expired: 409,
  bank_rejected: 409,
  service_unavailable: 503,
};

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

/** A domain refusal as its answer: the code's status, and Retry-After when the refusal is temporary. */
export function answerFor(error: DomainError): ApiError {
  return new ApiError(
    STATUS_OF[error.code],
    error.code,
    error.message,
    error.details,
    error.retryAfterSeconds === undefined
      ? undefined
      : { "retry-after": String(error.retryAfterSeconds) },
  );
}
