import { createHash } from "node:crypto";

/** The shape of identifiers at the edge: our order ids and Idempotency-Keys are UUIDs. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** A random (version 4) UUID, as the bank and we require for an Idempotency-Key. */
export const isUuidV4 = (value: string): boolean => UUID_V4.test(value);

/**
 * A UUID v4-shaped id derived from `seed` (a hash, not random): the same seed always
 * gives the same id. For an Idempotency-Key one of our own ids implies, so that a
 * retry sends the bank the same key.
 */
export function derivedUuidV4(seed: string): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
