/**
 * Tells a storage failure that a retry may cure (DynamoDB stalled, unreachable,
 * throttled or failing on its side, after the SDK's own bounded retries) from a bug.
 * The first is answered `503 service_unavailable` with Retry-After; the second is a 500.
 */

/** Raised by our own code when storage stays contended or unavailable after bounded retries. */
export class StorageUnavailableError extends Error {
  override readonly name = "StorageUnavailableError";
}

const TRANSIENT_NAMES = new Set([
  "StorageUnavailableError",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionConflictException",
]);

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ECONNABORTED",
]);

/** Seconds a client should wait before retrying after a storage failure. */
export const STORAGE_RETRY_AFTER_SECONDS = 2;

export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, $metadata } = error as Error & {
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (TRANSIENT_NAMES.has(error.name)) return true;
  if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  const status = $metadata?.httpStatusCode;
  return typeof status === "number" && status >= 500;
}
