import { createPublicKey, type KeyObject, verify } from "node:crypto";

/**
 * The bank signs each callback with RSA PKCS#1 v1.5 over SHA-256 and sends the
 * signature base64-encoded in `Callback-Signature`. The check runs over the exact
 * raw body bytes: any re-serialisation (key order, escaping, whitespace) breaks it,
 * so it must happen before the body is parsed.
 */

/** Reads a PEM public key once, so the per-request check does no parsing. */
export function loadCallbackPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== "rsa") {
    throw new Error("the callback public key must be an RSA key");
  }
  return key;
}

/** True only when `signature` is a canonical base64 RSA-SHA256 signature of `rawBody`. */
export function verifyCallbackSignature(
  rawBody: Uint8Array,
  signature: string,
  publicKey: KeyObject,
): boolean {
  const text = signature.trim();
  const bytes = Buffer.from(text, "base64");
  const modulusBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  // Canonical base64 only: Node's decoder skips stray characters and ignores the
  // unused bits before padding, which would let a changed header still verify.
  // And an RSA signature is exactly as long as the key's modulus.
  if (
    bytes.toString("base64") !== text ||
    // Stryker disable next-line ConditionalExpression: → false: an empty signature (0 bytes) fails the modulus-length test below anyway; this test only saves work
    bytes.length === 0 ||
    // Stryker disable next-line ConditionalExpression: → false: OpenSSL refuses an RSA signature not of the modulus length (verify answers false): the test states the rule, the answer is the same
    bytes.length !== modulusBytes
  )
    return false;
  return verify("sha256", rawBody, publicKey, bytes);
}
