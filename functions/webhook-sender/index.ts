import { SQSClient } from "@aws-sdk/client-sqs";
import { createLogger } from "../../lib/log.js";
import { signingSecretSource } from "../../lib/webhooks/signing-secret-source.js";
import { SECRET_CACHE_MS } from "../../lib/webhooks/signing-secrets.js";
import { sqsDeliveryQueue } from "../../lib/webhooks/sqs-delivery-queue.js";
import { readWebhookSenderConfig } from "../../lib/webhooks/webhook-config.js";
import { webhookSenderHandler } from "./app.js";

const config = readWebhookSenderConfig(process.env);
const sqs = new SQSClient({
  maxAttempts: 3,
  requestHandler: { requestTimeout: 3000, connectionTimeout: 2000, throwOnRequestTimeout: true },
});
// A rotation reaches every container within five minutes.
const secrets = signingSecretSource(config.secretId, SECRET_CACHE_MS);
export const handler = webhookSenderHandler({
  url: config.url,
  secrets: () => secrets.get(),
  queue: sqsDeliveryQueue(sqs, config.queueUrl, config.deadLetterQueueUrl),
  log: createLogger("webhook-sender"),
  now: Date.now,
});
