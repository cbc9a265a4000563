import { createHmac } from "node:crypto";

/**
 * A delivery's Standard Webhooks headers: `webhook-id` (the same on every retry of one
 * event), `webhook-timestamp` (seconds, at this attempt: each attempt is signed afresh)
 * and `webhook-signature`, `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per
 * key, space-separated (two while a secret rotates). Any of the specification's
 * libraries verifies it and refuses a replay outside its tolerance.
 */

export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function signedHeaders(
  keys: readonly Buffer[],
  id: string,
  nowMs: number,
  body: string,
): WebhookHeaders {
  const timestamp = String(Math.floor(nowMs / 1000));
  const content = `${id}.${timestamp}.${body}`;
  const signatures = keys.map(
    (key) => `v1,${createHmac("sha256", key).update(content, "utf8").digest("base64")}`,
  );
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signatures.join(" "),
  };
}
