import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * The stack's delivery queue as the sender uses it: a message to try again is hidden
 * for the schedule's wait (SQS hides one for 12 hours at most); one not to try again
 * is kept in the dead-letter queue with why, for `npm run webhook -- redrive`.
 */

export interface DeliveryQueue {
  retryLater(receiptHandle: string, delayMs: number): Promise<void>;
  deadLetter(body: string, reason: string, attempts: number): Promise<void>;
  /** Takes a message off the queue (one the invocation's failure would otherwise leave there). */
  remove(receiptHandle: string): Promise<void>;
}

const MAX_VISIBILITY_S = 12 * 3600;

export function sqsDeliveryQueue(
  sqs: SQSClient,
  queueUrl: string,
  deadLetterQueueUrl: string,
): DeliveryQueue {
  return {
    async retryLater(receiptHandle, delayMs) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: Math.min(MAX_VISIBILITY_S, Math.max(0, Math.ceil(delayMs / 1000))),
        }),
      );
    },
    async remove(receiptHandle) {
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }),
      );
    },
    async deadLetter(body, reason, attempts) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: deadLetterQueueUrl,
          MessageBody: body,
          MessageAttributes: {
            reason: { DataType: "String", StringValue: reason.slice(0, 256) },
            attempts: { DataType: "Number", StringValue: String(attempts) },
          },
        }),
      );
    },
  };
}
