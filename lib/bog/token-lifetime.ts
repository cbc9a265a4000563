/**
 * When a bank token expires. The JWT's own `exp` claim is preferred. Otherwise
 * `expires_in`, read defensively: the bank's text says seconds, its example is an
 * epoch in milliseconds, so seconds, epoch seconds and epoch milliseconds are all
 * accepted. Never longer than an hour. A lifetime that cannot be read (none, already
 * past as the document's own example is, or within the refresh margin) gets a bounded
 * default: long enough that the token is not fetched again on every call (at least
 * twice the margin), short enough to be harmless; a token the bank refuses before
 * then is replaced on its 401 (`token-cache.ts`).
 */

export const MAX_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
/** A token is refreshed this long before it expires (`token-cache.ts`). */
export const REFRESH_MARGIN_MS = 60 * 1000;
export const FALLBACK_TOKEN_LIFETIME_MS = 5 * 60 * 1000;

const EPOCH_MS_FROM = 1e12; // 2001-09-09 in ms; no lifetime in seconds is this long
const EPOCH_S_FROM = 1e9; // 2001-09-09 in seconds

/** The `exp` claim of a JWT in epoch ms, without verifying it (we only read our own token). */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof claims.exp === "number" && Number.isFinite(claims.exp)
      ? claims.exp * 1000
      : undefined;
  } /* Stryker disable next-line BlockStatement: an empty catch falls out of the function: undefined either way */ catch {
    return undefined;
  }
}

export function expiresInToEpochMs(expiresIn: unknown, now: number): number | undefined {
  if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn <= 0)
    return undefined;
  if (expiresIn >= EPOCH_MS_FROM) return expiresIn;
  if (expiresIn >= EPOCH_S_FROM) return expiresIn * 1000;
  return now + expiresIn * 1000;
}

export function tokenExpiry(accessToken: string, expiresIn: unknown, now: number): number {
  const fromJwt = jwtExpiry(accessToken);
  const candidate =
    fromJwt !== undefined && fromJwt > now ? fromJwt : expiresInToEpochMs(expiresIn, now);
  // A token stale on arrival (inside the margin) would be fetched again on every call.
  if (candidate === undefined || candidate <= now + REFRESH_MARGIN_MS) {
    return now + FALLBACK_TOKEN_LIFETIME_MS;
  }
  return Math.min(candidate, now + MAX_TOKEN_LIFETIME_MS);
}
