/**
 * CORS as API Gateway's `corsPreflight` answers it in AWS: only the configured shop
 * origins, the two methods and two headers the frontend uses.
 */
const CORS_METHODS = "GET,POST";
const CORS_HEADERS = "content-type,idempotency-key";

export function corsHeaders(
  origin: string | undefined,
  allowed: readonly string[],
): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return { "access-control-allow-origin": origin, vary: "origin" };
}

export function preflightHeaders(
  origin: string | undefined,
  allowed: readonly string[],
): Record<string, string> {
  const base = corsHeaders(origin, allowed);
  if (!base["access-control-allow-origin"]) return {};
  return {
    ...base,
    "access-control-allow-methods": CORS_METHODS,
    "access-control-allow-headers": CORS_HEADERS,
    "access-control-max-age": "3600",
  };
}
