/**
 * Typed errors of the library. Each says what went wrong in words safe to log:
 * never a token, a secret, or a secret's value. Mapping them to HTTP answers is
 * the functions' job, in one place.
 */

/** A setting is missing or malformed; raised at cold start, naming the setting. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`${setting} ${problem}`);
  }
}

/** The bank credentials could not be read (missing, empty or malformed secret). */
export class CredentialsError extends Error {
  override readonly name = "CredentialsError";
}

/** Base of every failure talking to the bank. */
export abstract class BankError extends Error {
  abstract readonly kind: "rejected" | "unavailable" | "unauthorized" | "malformed";
}

/** The bank refused the request (a 4xx other than 401/429), with the bank's own message. */
export class BankRejectedError extends BankError {
  override readonly name = "BankRejectedError";
  readonly kind = "rejected";
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly bankMessage: string,
  ) {
    super(`bank rejected ${operation} (HTTP ${status}): ${bankMessage}`);
  }
}

/** The bank failed or did not answer in time, after the retries that were safe. */
export class BankUnavailableError extends BankError {
  override readonly name = "BankUnavailableError";
  readonly kind = "unavailable";
  constructor(
    readonly operation: string,
    readonly reason: "timeout" | "network" | "status",
    readonly status: number | null,
    /** From the bank's Retry-After, when it sent one. */
    readonly retryAfterSeconds: number | null,
    readonly attempts: number,
  ) {
    super(
      `bank unavailable for ${operation} after ${attempts} attempt(s): ${reason}${status === null ? "" : ` (HTTP ${status})`}`,
    );
  }
}

/** The bank refused our credentials, or our fresh token. Retrying will not help. */
export class BankUnauthorizedError extends BankError {
  override readonly name = "BankUnauthorizedError";
  readonly kind = "unauthorized";
}

/** The bank answered 2xx with a body we cannot use (not JSON, or a required field missing). */
export class BankResponseError extends BankError {
  override readonly name = "BankResponseError";
  readonly kind = "malformed";
}
