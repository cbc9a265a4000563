import type middy from "@middy/core";
import { DomainError } from "../domain-error.js";
import { isStorageUnavailable, STORAGE_RETRY_AFTER_SECONDS } from "../dynamo/storage-errors.js";
import {
  BankRejectedError,
  BankResponseError,
  BankUnauthorizedError,
  BankUnavailableError,
} from "../errors.js";
import type { Log } from "../log.js";
import { ApiError, answerFor } from "./api-error.js";
import { errorResult, type HttpResult } from "./response.js";

/**
 * The one place where errors become HTTP answers. A DomainError is answered by its
 * code (api-error.ts's table); an ApiError (an HTTP-level refusal) as it says; a bank failure as `bank_unavailable` (503 when the bank said to wait or did
 * not answer in time, else 502), with Retry-After when the bank gave one; our own
 * storage failing or stalling (after its bounded retries) as `503 service_unavailable`
 * with Retry-After; anything else is a 500 `internal_error` whose body says nothing
 * about internals.
 */
function toHttpError(error: unknown): ApiError {
  if (error instanceof DomainError) return answerFor(error);
  if (error instanceof ApiError) return error;
  if (error instanceof BankUnavailableError) {
    const busy = error.reason === "timeout" || error.status === 503 || error.status === 429;
    const headers =
      error.retryAfterSeconds === null
        ? undefined
        : { "retry-after": String(error.retryAfterSeconds) };
    return new ApiError(
      busy ? 503 : 502,
      "bank_unavailable",
      "the bank did not answer; try again",
      undefined,
      headers,
    );
  }
  if (error instanceof BankRejectedError || error instanceof BankUnauthorizedError) {
    return new ApiError(502, "bank_unavailable", "the bank refused the request");
  }
  if (error instanceof BankResponseError) {
    return new ApiError(502, "bank_unavailable", "the bank's answer could not be read; try again");
  }
  if (isStorageUnavailable(error)) {
    return new ApiError(
      503,
      "service_unavailable",
      "our storage did not answer in time; try again",
      undefined,
      { "retry-after": String(STORAGE_RETRY_AFTER_SECONDS) },
    );
  }
  return new ApiError(500, "internal_error", "internal error");
}

/** middy middleware: use it last, so its onError runs first. */
export function httpErrors(log: Log): middy.MiddlewareObj<unknown, HttpResult> {
  return {
    onError: async (request) => {
      const mapped = toHttpError(request.error);
      if (mapped.status >= 500) {
        // The error itself (typed, secret-free messages) goes to the log, never to the client.
        log.error("request failed", { code: mapped.code, error: request.error as Error });
      } else {
        log.info("request refused", { code: mapped.code, reason: mapped.message });
      }
      request.response = errorResult(mapped);
    },
  };
}
