import type { IncomingHttpHeaders } from "node:http";
import { Webhook } from "standardwebhooks";

/**
 * A delivery checked the way a shop checks it: with the Standard Webhooks library for
 * Node (`standardwebhooks`, a third party's verifier, not ours). Answers the event, or
 * throws the library's WebhookVerificationError.
 */
export function verifiedEvent(
  secret: string,
  delivery: { raw: Buffer; headers: IncomingHttpHeaders },
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const value = delivery.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  return new Webhook(secret).verify(delivery.raw.toString("utf8"), headers) as Record<
    string,
    unknown
  >;
}
