import { createHash, timingSafeEqual } from "node:crypto";

/**
 * How a shop knows an order webhook delivery came from its payments stack: every
 * delivery carries the stack's webhook key (a Secrets Manager secret the stack
 * generates; `npm run webhook:secret` prints it) in one header, over https. The
 * README quotes this file as the shop's verification code.
 */

/** The header every delivery carries the webhook key in (EventBridge's API-key connection). */
export const WEBHOOK_KEY_HEADER = "x-bog-payments-webhook-key";

/**
 * True only when the header holds exactly the webhook key. Both sides are hashed to
 * 32 bytes first, so the comparison takes the same time whatever the header holds:
 * neither the key's bytes nor its length show in the timing.
 */
export function isFromPaymentsStack(
  header: string | string[] | undefined,
  webhookKey: string,
): boolean {
  if (typeof header !== "string" || webhookKey === "") return false;
  const given = createHash("sha256").update(header, "utf8").digest();
  const expected = createHash("sha256").update(webhookKey, "utf8").digest();
  return timingSafeEqual(given, expected);
}
