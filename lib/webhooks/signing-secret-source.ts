import { CachedSecret, type SecretReader } from "../aws/cached-secret.js";
import { parseStoredSecrets, type StoredSecrets, WebhookSecretError } from "./signing-secrets.js";

/**
 * The signing keys from Secrets Manager, read on first need and kept for `maxAgeMs`:
 * a rotation (`npm run webhook -- rotate-secret`) reaches every sender within that
 * time. A secret that cannot be read is an error naming why, never its text.
 */
export function signingSecretSource(
  secretId: string,
  maxAgeMs: number,
  readSecret?: SecretReader,
  now?: () => number,
): CachedSecret<StoredSecrets> {
  return new CachedSecret({
    secretId,
    maxAgeMs,
    parse: parseStoredSecrets,
    unreadable: (name) =>
      new WebhookSecretError(`could not read the webhook signing secret (${name})`),
    ...(readSecret ? { readSecret } : {}),
    ...(now ? { now } : {}),
  });
}
