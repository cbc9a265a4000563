import { randomBytes } from "node:crypto";

/**
 * The webhook's signing secrets, as the Standard Webhooks specification writes them:
 * `whsec_` and the base64 of the key's bytes (24 to 64). The stack keeps them in
 * Secrets Manager as JSON, `{"current": "<base64>", "previous": "<base64>"}`, without
 * the prefix (Secrets Manager generates the first one at deploy as 32 letters and
 * digits, which is the base64 of 24 bytes); `previous` only while a rotation runs,
 * when deliveries are signed with both. Never logged.
 */

const SECRET_PREFIX = "whsec_";

/** Bytes of key, as the specification bounds them. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

export class WebhookSecretError extends Error {
  override name = "WebhookSecretError";
}

/** The stored form: the key now in use, and the one being retired while a rotation runs. */
export interface StoredSecrets {
  current: string;
  previous?: string;
  /** When the rotation started (ISO 8601): senders keep a secret 5 minutes. */
  rotatedAt?: string;
}

/** How long a sender may still sign with what it read before a rotation. */
export const SECRET_CACHE_MS = 5 * 60_000;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A key's bytes from its base64 (with or without `whsec_`); refuses what is not one. */
export function keyOf(secret: string): Buffer {
  const text = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(text) || text.length % 4 !== 0)
    throw new WebhookSecretError("a webhook secret must be whsec_ and base64");
  const bytes = Buffer.from(text, "base64");
  if (bytes.length < MIN_KEY_BYTES || bytes.length > MAX_KEY_BYTES)
    throw new WebhookSecretError(
      `a webhook secret must hold ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes of key`,
    );
  return bytes;
}

/** `whsec_…` for a stored key (what the shop's verifier is given). */
export const asWhsec = (key: string) =>
  key.startsWith(SECRET_PREFIX) ? key : `${SECRET_PREFIX}${key}`;

/** Reads the stored JSON; the keys to sign with, newest first. */
export function parseStoredSecrets(text: string | undefined): StoredSecrets {
  if (text === undefined) throw new WebhookSecretError("the webhook secret has no text");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new WebhookSecretError("the webhook secret is not JSON");
  }
  const stored = value as Partial<Record<keyof StoredSecrets, unknown>> | null;
  if (typeof stored?.current !== "string")
    throw new WebhookSecretError('the webhook secret has no "current" key');
  keyOf(stored.current);
  if (stored.previous !== undefined && typeof stored.previous !== "string")
    throw new WebhookSecretError('the webhook secret\'s "previous" key is not text');
  if (typeof stored.previous === "string") keyOf(stored.previous);
  const rotatedAt = (value as { rotatedAt?: unknown }).rotatedAt;
  return typeof stored.previous === "string"
    ? {
        current: stored.current,
        previous: stored.previous,
        ...(typeof rotatedAt === "string" ? { rotatedAt } : {}),
      }
    : { current: stored.current };
}

/** The keys a delivery is signed with: the current one, and the one being retired. */
export function signingKeys(stored: StoredSecrets): Buffer[] {
  return [stored.current, ...(stored.previous ? [stored.previous] : [])].map(keyOf);
}

/** A new key: 32 random bytes, base64 (no prefix). */
export function newKey(): string {
  return randomBytes(32).toString("base64");
}

/** Starts a rotation: a new current key, the old one kept valid. */
export function rotated(stored: StoredSecrets, fresh = newKey(), now = new Date()): StoredSecrets {
  return { current: fresh, previous: stored.current, rotatedAt: now.toISOString() };
}

/**
 * A minute more than the senders' cache before a rotation counts as settled: a sender's
 * five minutes start when its read ends, and the operator's clock may be behind.
 */
export const ROTATION_MARGIN_MS = 60_000;

/**
 * Whether every sender signs with the new secret too (its cache has run out): five
 * minutes and the margin after the later of `rotatedAt` (the operator's clock) and
 * `storedAtMs` (when Secrets Manager stored that version, by its own clock).
 */
export function rotationSettled(
  stored: StoredSecrets,
  nowMs: number,
  storedAtMs?: number,
): boolean {
  if (!stored.previous) return true;
  // An absent or unreadable date is NaN, and left out.
  const starts = [Date.parse(String(stored.rotatedAt)), storedAtMs ?? Number.NaN].filter(
    (at) => !Number.isNaN(at),
  );
  // No date to go by (Math.max of none is -Infinity): settled.
  return nowMs - Math.max(...starts) >= SECRET_CACHE_MS + ROTATION_MARGIN_MS;
}

/** Ends a rotation: only the current key stays valid. */
export function finished(stored: StoredSecrets): StoredSecrets {
  return { current: stored.current };
}
