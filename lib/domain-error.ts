/**
 * What the domain refuses, in its own words: a stable code, a message safe to show a
 * caller, and the facts (which fields, how long to wait). Never an HTTP status or
 * header: `lib/http/api-error.ts` maps each code to its answer in one table.
 */

/** Every code the domain refuses with (the HTTP layer adds its own: openapi.yaml's ErrorCode). */
export const DOMAIN_ERROR_CODES = [
  "invalid_request",
  "unknown_product",
  "idempotency_conflict",
  "order_not_found",
  "card_not_found",
  "invalid_state",
  "amount_exceeds_balance",
  "partial_not_allowed",
  "card_expired",
  "bank_rejected",
  "invalid_signature",
  "service_unavailable",
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One problem with one field of a request: where (a dotted path) and what. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ErrorFacts {
  /** The fields at fault, each with its path. */
  details?: ErrorDetail[] | undefined;
  /** The refusal is temporary: the caller may try again after this many seconds. */
  retryAfterSeconds?: number | undefined;
}

export class DomainError extends Error {
  override readonly name = "DomainError";
  readonly details: ErrorDetail[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    facts: ErrorFacts = {},
  ) {
    super(message);
    this.details = facts.details;
    this.retryAfterSeconds = facts.retryAfterSeconds;
  }
}

export const invalidRequest = (message: string, details?: ErrorDetail[]) =>
  new DomainError("invalid_request", message, { details });

export const orderNotFound = () => new DomainError("order_not_found", "no order with that id");

export const cardNotFound = () => new DomainError("card_not_found", "no card with that id");

/** Seconds until `until` (epoch ms), at least 1: a Retry-After of 0 invites a busy loop. */
export const secondsUntil = (until: number, now: number): number =>
  Math.max(1, Math.ceil((until - now) / 1000));
