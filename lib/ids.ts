/** The shape of identifiers at the edge: our order ids and Idempotency-Keys are UUIDs. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** A random (version 4) UUID, as the bank and we require for an Idempotency-Key. */
export const isUuidV4 = (value: string): boolean => UUID_V4.test(value);
