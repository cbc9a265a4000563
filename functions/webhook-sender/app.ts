import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { emitMetric, type MetricFn, WEBHOOK_UNDELIVERED_MINUTES } from "../../lib/metrics.js";
import { eventOfBody } from "../../lib/webhooks/event-body.js";
import { nextRetryDelay } from "../../lib/webhooks/retry-schedule.js";
import { sendEvent } from "../../lib/webhooks/send-event.js";
import { type StoredSecrets, signingKeys } from "../../lib/webhooks/signing-secrets.js";
import type { DeliveryQueue } from "../../lib/webhooks/sqs-delivery-queue.js";

/**
 * The delivery queue (the bus rule's target) → one signed POST per event to the shop's
 * backend (docs/events-and-webhooks.md). Each record is one attempt: delivered, it leaves the queue; to
 * be tried again, it is hidden for the schedule's wait and reported failed (so SQS keeps
 * it); refused by the shop or out of attempts, it goes to the dead-letter queue with
 * why. Signing keys that cannot be read fail the invocation (an error, an alarm), every
 * message hidden for its next wait, or, past its schedule and its day, moved to the dead
 * letters: none is lost, none is sent unsigned.
 */

export interface WebhookSenderDeps {
  url: string;
  secrets: () => Promise<StoredSecrets>;
  queue: DeliveryQueue;
  log: Logger;
  now: () => number;
  /** Where the minutes an undelivered event has waited go (lib/metrics.ts). */
  metric?: MetricFn;
}

const attemptOf = (record: SQSRecord) => {
  const count = Number(record.attributes.ApproximateReceiveCount);
  return Number.isSafeInteger(count) && count > 0 ? count : 1;
};

/** When SQS first took the message (epoch ms), if it says. */
const firstQueuedAt = (record: SQSRecord) => {
  const at = Number(record.attributes.SentTimestamp);
  return Number.isSafeInteger(at) && at > 0 ? at : undefined;
};

/** How long ago the message was first queued (ms); unknown counts as long ago. */
const ageOf = (record: SQSRecord, now: number) => {
  const at = firstQueuedAt(record);
  return at === undefined ? Number.POSITIVE_INFINITY : Math.max(0, now - at);
};

/** One record's attempt; answers whether SQS should keep it (to be tried again). */
async function deliverOne(
  record: SQSRecord,
  keys: Buffer[],
  deps: WebhookSenderDeps,
): Promise<boolean> {
  const attempt = attemptOf(record);
  const queuedAt = firstQueuedAt(record);
  const detail = eventOfBody(record.body);
  if (detail === null) {
    deps.log.error("not an event: kept in the dead-letter queue", { messageId: record.messageId });
    await deps.queue.deadLetter(record.body, "not an event", attempt);
    return false;
  }
  const sent = await sendEvent(detail, attempt, { url: deps.url, keys, now: deps.now }, queuedAt);
  if (sent.outcome === "delivered") {
    deps.log.info("delivered", { webhookId: sent.id, attempt });
    return false;
  }
  if (sent.outcome === "retry") {
    // SQS's own age of the oldest message skips one received 3 times or more: ours does not.
    if (queuedAt !== undefined)
      (deps.metric ?? emitMetric)(
        WEBHOOK_UNDELIVERED_MINUTES,
        Math.floor((deps.now() - queuedAt) / 60_000),
        { unit: "None" },
      );
    deps.log.warn("not delivered; tried again later", {
      webhookId: sent.id,
      attempt,
      reason: sent.reason,
      retryInSeconds: Math.ceil(sent.delayMs / 1000),
    });
    await deps.queue.retryLater(record.receiptHandle, sent.delayMs);
    return true;
  }
  deps.log.error("not delivered; kept in the dead-letter queue", {
    webhookId: sent.id,
    attempt,
    reason: sent.reason,
  });
  await deps.queue.deadLetter(JSON.stringify(detail), sent.reason, attempt);
  return false;
}

export function webhookSenderHandler(deps: WebhookSenderDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(deps.log, { resetKeys: true }))
    .handler(async (event) => {
      let keys: Buffer[];
      try {
        keys = signingKeys(await deps.secrets());
      } catch (error) {
        // Said first: the messages are kept whatever the queue's calls do next.
        deps.log.error("the webhook's signing secret cannot be read; messages kept", {
          reason: error instanceof Error ? error.message : String(error),
          messages: event.Records.length,
        });
        await Promise.allSettled(
          event.Records.map(async (record) => {
            const attempt = attemptOf(record);
            const wait = nextRetryDelay(attempt, undefined, 1, ageOf(record, deps.now()));
            if (wait !== null) return deps.queue.retryLater(record.receiptHandle, wait);
            // Its day and its schedule gone by: kept in the dead letters, on their own
            // 14-day clock (SQS's own move would keep the first queueing's), then off
            // this queue.
            await deps.queue.deadLetter(
              record.body,
              "the signing secret could not be read",
              attempt,
            );
            await deps.queue.remove(record.receiptHandle);
          }),
        );
        throw error;
      }
      const failed: string[] = [];
      // Each record on its own: one queue call failing leaves the others as they are
      // (a delivered one is not sent again with the batch), and it is retried by SQS.
      await Promise.all(
        event.Records.map(async (record) => {
          try {
            if (await deliverOne(record, keys, deps)) failed.push(record.messageId);
          } catch (error) {
            deps.log.error("a message's outcome could not be recorded; SQS gives it again", {
              messageId: record.messageId,
              reason: error instanceof Error ? error.message : String(error),
            });
            failed.push(record.messageId);
          }
        }),
      );
      return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}
