import type { Log } from "../log.js";
import { type BusEventDetail, busEventOf, eventIdentity } from "./bus-event.js";
import type { OrderStreamRecord } from "./order-event.js";

/**
 * One batch of the orders table's stream → order and card events on the bus. Each
 * record is read by its rule (`order-event.ts`, `card-event.ts`, by the item's key); the events are published together; what
 * failed is answered by sequence number, so that Lambda retries from the first
 * failure (partial batch response) and a record that keeps failing ends, after the
 * bounded retries, in the dead-letter queue instead of blocking its shard. A record
 * after a failed one may be published twice: consumers drop repeats by
 * `(orderId, version)`, or a card's `(cardId, event)`.
 */

export interface StreamRecordWithId extends OrderStreamRecord {
  dynamodb?: OrderStreamRecord["dynamodb"] & { SequenceNumber?: string };
}

/** An event to publish, with the record it came from. */
interface OrderEventEntry {
  recordId: string;
  detail: BusEventDetail;
}

/**
 * Publishes events: answers, entry by entry in the same order, null when the bus took
 * it, else why not (words safe to log).
 */
export type OrderEventPublisher = (
  entries: readonly OrderEventEntry[],
) => Promise<ReadonlyArray<string | null>>;

export interface PublishDeps {
  publish: OrderEventPublisher;
  log: Log;
}

/** Publishes a batch's events; answers the sequence numbers of the records that failed. */
export async function publishOrderEvents(
  records: readonly StreamRecordWithId[],
  deps: PublishDeps,
): Promise<string[]> {
  const failed: string[] = [];
  const entries: OrderEventEntry[] = [];
  let skipped = 0;
  records.forEach((record, index) => {
    const recordId = record.dynamodb?.SequenceNumber ?? `#${index}`;
    try {
      const decision = busEventOf(record);
      if ("event" in decision) entries.push({ recordId, detail: decision.event });
      else skipped += 1;
    } catch (error) {
      deps.log.error("event: a stream record could not be read; retried, then dead-lettered", {
        recordId,
        eventName: record.eventName,
        error: error instanceof Error ? error.message : String(error),
      });
      failed.push(recordId);
    }
  });
  if (entries.length > 0) {
    const results = await deps.publish(entries).catch((error: unknown) => {
      const problem = error instanceof Error ? error.name : "publish failed";
      return entries.map(() => problem);
    });
    entries.forEach((entry, index) => {
      const identity = eventIdentity(entry.detail);
      const problem = results[index];
      if (problem === null) {
        deps.log.info("event published", identity);
      } else {
        deps.log.warn("event not published; retried", {
          ...identity,
          recordId: entry.recordId,
          problem: problem ?? "no answer for this entry",
        });
        failed.push(entry.recordId);
      }
    });
  }
  deps.log.debug("events batch", {
    records: records.length,
    events: entries.length,
    skipped,
    failed: failed.length,
  });
  return failed;
}
