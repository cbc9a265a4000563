import type { Env } from "../config.js";
import { ConfigError } from "../errors.js";

/** The webhook sender's settings, checked at cold start. */
export interface WebhookSenderConfig {
  /** The shop's backend (https). */
  url: string;
  /** The Secrets Manager secret with the signing keys (`signing-secrets.ts`). */
  secretId: string;
  /** The delivery queue (a message to retry is hidden there for the schedule's wait). */
  queueUrl: string;
  /** Where an event the shop refused, or that ran out of attempts, is kept. */
  deadLetterQueueUrl: string;
}

function queueUrl(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value || !/^https:\/\/\S+$/.test(value))
    throw new ConfigError(name, "must be the queue's https URL");
  return value;
}

export function readWebhookSenderConfig(env: Env): WebhookSenderConfig {
  const raw = env.WEBHOOK_URL?.trim();
  if (!raw) throw new ConfigError("WEBHOOK_URL", "is required");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("WEBHOOK_URL", "must be an absolute https URL");
  }
  if (url.protocol !== "https:") throw new ConfigError("WEBHOOK_URL", "must be https");
  const secretId = env.WEBHOOK_SECRET_ID?.trim();
  if (!secretId) throw new ConfigError("WEBHOOK_SECRET_ID", "is required");
  return {
    url: url.href,
    secretId,
    queueUrl: queueUrl(env, "WEBHOOK_QUEUE_URL"),
    deadLetterQueueUrl: queueUrl(env, "WEBHOOK_DEAD_LETTER_QUEUE_URL"),
  };
}
