import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../lib/dynamo/client.js";
import { ensureTable } from "../lib/dynamo/create-tables.js";
import type { TableDefinition } from "../lib/dynamo/tables.js";
import type { BusEventDetail } from "../lib/events/bus-event.js";
import { conditional } from "../lib/orders/storage/order-item.js";
import { ATTEMPT_TIMEOUT_MS } from "../lib/webhooks/delivery-attempt.js";
import { eventOfBody } from "../lib/webhooks/event-body.js";
import { type SendDeps, sendEvent } from "../lib/webhooks/send-event.js";
import { webhookIdOf } from "../lib/webhooks/webhook-id.js";

/**
 * `npm start`'s stand-in for the stack's delivery queue and dead-letter queue: every
 * event to deliver is an item of a DynamoDB Local table (not memory), written before
 * the stream's batch counts as published, so a receiver that is down loses nothing (npm
 * start runs DynamoDB Local in memory: stopping it ends what waits, as it ends the
 * orders). A pump tries what is due with the same sender as the
 * stack's function (`lib/webhooks/send-event.ts`) and the same schedule (its waits
 * multiplied by WEBHOOK_RETRY_SCALE); what the shop refused, or what ran out of
 * attempts, stays as `dead` for `npm run webhook -- redrive --local`.
 */

const OUTBOX_TABLE: TableDefinition = {
  id: "webhookOutbox",
  partitionKey: { name: "pk", type: "S" },
};
const LOCAL_OUTBOX_TABLE = "webhook-outbox";

/** How often the pump looks for what is due. */
const POLL_MS = 200;
/** Deliveries in flight at once. */
const CONCURRENCY = 8;

interface OutboxItem {
  pk: string;
  body: string;
  /** Attempts made so far. */
  attempts: number;
  /** Epoch ms of the next attempt. */
  dueAt: number;
  state: "queued" | "dead";
  reason?: string;
  /** Epoch ms when it was first queued (the schedule gives up no sooner than a day after). */
  queuedAt?: number;
  /** Epoch ms until which one pump holds it (an attempt in flight), and that hold's id. */
  leaseUntil?: number;
  leaseId?: string;
}

export interface WebhookOutbox {
  /** Keeps an event for delivery (once per webhook id while it waits). */
  enqueue(detail: BusEventDetail): Promise<void>;
  /** Resolves when nothing is queued (delivered, or dead). */
  idle(): Promise<void>;
  /** Sends every dead event once more, signed afresh: how many went, how many did not. */
  redrive(): Promise<{ delivered: number; failed: number }>;
  stop(): Promise<void>;
}

export async function startWebhookOutbox(options: {
  endpoint: string;
  tableName?: string;
  send: Omit<SendDeps, "now"> & { now?: () => number };
  log: (line: string) => void;
}): Promise<WebhookOutbox> {
  const tableName = options.tableName ?? LOCAL_OUTBOX_TABLE;
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await ensureTable(client, OUTBOX_TABLE, tableName);
  client.destroy();
  const doc: DynamoDBDocumentClient = createDocumentClient(options.endpoint);
  const now = options.send.now ?? Date.now;
  const send: SendDeps = { ...options.send, now };
  const log = options.log;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const scan = async (state: OutboxItem["state"]): Promise<OutboxItem[]> => {
    const items: OutboxItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: "#state = :state",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":state": state },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as OutboxItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };

  /**
   * One pump (or a redrive) holds an item for its attempt, under a lease of its own: a
   * second one leaves it, and the holder's last write is made only while its lease is
   * still the item's (one that outlived its lease changes nothing; at worst the shop got
   * the event twice, with one webhook-id).
   */
  const claim = async (item: OutboxItem, holdMs: number): Promise<string | null> => {
    const at = now();
    const lease = randomUUID();
    const result = await conditional(
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: item.pk },
          UpdateExpression: "SET leaseUntil = :until, leaseId = :lease",
          ConditionExpression:
            "#state = :state AND attempts = :attempts AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: {
            ":until": at + holdMs,
            ":lease": lease,
            ":state": item.state,
            ":attempts": item.attempts,
            ":now": at,
          },
        }),
      ),
    );
    return result.ok ? lease : null;
  };
  const holdMs = (send.timeoutMs ?? ATTEMPT_TIMEOUT_MS) + 5000;

  /** Records an attempt that did not deliver, if the lease is still this one's. */
  const record = async (
    pk: string,
    lease: string,
    next: { attempts: number; dueAt: number; state: OutboxItem["state"]; reason: string },
  ): Promise<boolean> => {
    const result = await conditional(
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk },
          UpdateExpression:
            "SET attempts = :attempts, dueAt = :due, #state = :state, reason = :reason REMOVE leaseUntil, leaseId",
          ConditionExpression: "leaseId = :lease",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: {
            ":attempts": next.attempts,
            ":due": next.dueAt,
            ":state": next.state,
            ":reason": next.reason,
            ":lease": lease,
          },
        }),
      ),
    );
    if (!result.ok) log(`webhook outbox: ${pk} was taken over by another attempt; left to it`);
    return result.ok;
  };

  /** Delivered: gone, whoever holds it now (their own last write then finds nothing). */
  const remove = (pk: string) => doc.send(new DeleteCommand({ TableName: tableName, Key: { pk } }));

  const attempt = async (item: OutboxItem): Promise<void> => {
    const lease = await claim(item, holdMs);
    if (lease === null) return;
    const detail = eventOfBody(item.body);
    const attempts = item.attempts + 1;
    const sent = detail
      ? await sendEvent(detail, attempts, send, item.queuedAt)
      : { outcome: "dead" as const, id: item.pk, reason: "not an event" };
    if (sent.outcome === "delivered") {
      if (attempts > 1) log(`delivered ${item.pk} on attempt ${attempts}`);
      await remove(item.pk);
      return;
    }
    const recorded = await record(item.pk, lease, {
      attempts,
      dueAt: sent.outcome === "retry" ? now() + sent.delayMs : now(),
      state: sent.outcome === "retry" ? "queued" : "dead",
      reason: sent.reason,
    });
    if (!recorded) return;
    if (sent.outcome === "retry") {
      log(`webhook ${sent.reason} for ${item.pk}; retry in ${sent.delayMs} ms`);
    } else {
      log(
        `dead-letter: ${item.pk} not delivered after ${attempts} attempt${attempts === 1 ? "" : "s"} (${sent.reason}); npm run webhook -- redrive --local sends it again`,
      );
    }
  };

  const track = (work: Promise<void>) => {
    const tracked = work.catch((error: unknown) =>
      log(`webhook delivery failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
    return tracked;
  };

  const pump = async () => {
    if (stopped) return;
    try {
      const due = (await scan("queued")).filter(
        (item) => item.dueAt <= now() && (item.leaseUntil ?? 0) < now(),
      );
      for (let i = 0; i < due.length && !stopped; i += CONCURRENCY) {
        await Promise.all(due.slice(i, i + CONCURRENCY).map((item) => track(attempt(item))));
      }
    } catch (error) {
      if (!stopped)
        log(`webhook outbox: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!stopped) timer = setTimeout(() => void pump(), POLL_MS);
  };
  timer = setTimeout(() => void pump(), 0);

  return {
    async enqueue(detail) {
      const id = webhookIdOf(detail);
      // A repeat of an event still waiting (a redelivered stream record) is the same item.
      await conditional(
        doc.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: id,
              body: JSON.stringify(detail),
              attempts: 0,
              dueAt: now(),
              queuedAt: now(),
              state: "queued",
            } satisfies OutboxItem,
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },
    async idle() {
      while (!stopped && (await scan("queued")).length > 0)
        await new Promise((resolve) => setTimeout(resolve, POLL_MS / 2));
    },
    async redrive() {
      let delivered = 0;
      let failed = 0;
      for (const item of await scan("dead")) {
        // A redrive running beside this one has it: not sent twice from here.
        const lease = await claim(item, holdMs);
        if (lease === null) continue;
        const detail = eventOfBody(item.body);
        const sent = detail
          ? await sendEvent(detail, 1, send)
          : { outcome: "dead" as const, reason: "not an event" };
        if (sent.outcome === "delivered") {
          delivered += 1;
          await remove(item.pk);
        } else {
          failed += 1;
          await record(item.pk, lease, { ...item, reason: sent.reason });
        }
      }
      log(`redrive: ${delivered} delivered, ${failed} failed${failed > 0 ? " (kept)" : ""}`);
      return { delivered, failed };
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...inFlight]);
      doc.destroy();
    },
  };
}
