import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from "aws-lambda";
import { CARD_KEY_PREFIX } from "../lib/events/card-event.js";

/**
 * What Lambda's event source mapping does in AWS, for `npm start`: reads the orders
 * table's stream in DynamoDB Local (the DynamoDB Streams API), keeps the records the
 * mapping's filters keep (order items: a NewImage with a version; card items, as
 * infra/order-events.ts filters), and gives them in batches to the same handler,
 * as the same event. Records the handler reports failed are retried from the first
 * of them, a bounded number of times; then they are dead-lettered (a log line), and
 * the shard moves on, as the mapping's on-failure destination does.
 */

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

export interface OrderStreamOptions {
  endpoint: string;
  tableName: string;
  handler: StreamHandler;
  log: (line: string) => void;
  /** How often each shard is read when it had nothing new. */
  pollMs?: number;
  /** Retries of a failing batch before its records are dead-lettered (the mapping's retryAttempts). */
  retryAttempts?: number;
}

export interface OrderStream {
  stop(): Promise<void>;
}

const BATCH_SIZE = 100;

/**
 * The mapping's filters (infra/order-events.ts, ORDER_STREAM_FILTERS), any of them:
 * a NewImage with a version (an order), or whose key begins with `card#` (a card).
 */
export function passesOrderFilter(record: DynamoDBRecord): boolean {
  const image = record.dynamodb?.NewImage;
  return image?.version?.N !== undefined || image?.pk?.S?.startsWith(CARD_KEY_PREFIX) === true;
}

function lambdaValue(value: AttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString("base64")) };
  if (value.L !== undefined) return { L: value.L.map(lambdaValue) };
  if (value.M !== undefined) return { M: lambdaImage(value.M) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  return { NULL: true };
}

function lambdaImage(
  image: Record<string, AttributeValue> | undefined,
): Record<string, LambdaAttributeValue> {
  return Object.fromEntries(Object.entries(image ?? {}).map(([k, v]) => [k, lambdaValue(v)]));
}

/** A DynamoDB Streams API record as Lambda gives it in a DynamoDB stream event. */
function lambdaRecordOf(record: _Record, streamArn: string): DynamoDBRecord {
  const d = record.dynamodb;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: "aws:dynamodb",
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: d && {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime
        ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
      Keys: lambdaImage(d.Keys),
      ...(d.NewImage ? { NewImage: lambdaImage(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: lambdaImage(d.OldImage) } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOrderStream(options: OrderStreamOptions): Promise<OrderStream> {
  const local = {
    endpoint: options.endpoint,
    region: process.env.AWS_REGION ?? "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
  const dynamodb = new DynamoDBClient(local);
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamodb.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);
  const streams = new DynamoDBStreamsClient(local);
  const pollMs = options.pollMs ?? 200;
  const retryAttempts = options.retryAttempts ?? 3;
  /** Each shard's next iterator; null once the shard is closed and read to its end. */
  const shards = new Map<string, string | null>();
  /** The last record read of each shard. */
  const lastRead = new Map<string, string>();
  let stopped = false;

  /** An iterator after the last record read of the shard, or at its oldest record. */
  async function iteratorFor(shardId: string): Promise<string | null> {
    const after = lastRead.get(shardId);
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
          : { ShardIteratorType: "TRIM_HORIZON" }),
      }),
    );
    return ShardIterator ?? null;
  }

  async function discoverShards(): Promise<void> {
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        shards.set(shard.ShardId, await iteratorFor(shard.ShardId));
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** One batch through the handler, retried from its first failure, then dead-lettered. */
  async function handle(records: DynamoDBRecord[]): Promise<void> {
    let batch = records;
    for (let attempt = 0; batch.length > 0; attempt += 1) {
      const { batchItemFailures } = await options.handler({ Records: batch }).catch(() => ({
        batchItemFailures: batch.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? "" })),
      }));
      if (batchItemFailures.length === 0) return;
      const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
      const first = batch.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ""));
      const rest = first === -1 ? batch : batch.slice(first);
      if (attempt >= retryAttempts) {
        options.log(
          `dead-letter: ${rest.length} stream record${rest.length === 1 ? "" : "s"} failed ${attempt + 1} times (sequence numbers ${rest[0]?.dynamodb?.SequenceNumber} to ${rest.at(-1)?.dynamodb?.SequenceNumber}); the shard moves on`,
        );
        return;
      }
      batch = rest;
    }
  }

  async function readShard(shardId: string, iterator: string): Promise<number> {
    try {
      const { Records = [], NextShardIterator } = await streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: BATCH_SIZE }),
      );
      const kept = Records.map((r) => lambdaRecordOf(r, streamArn as string)).filter(
        passesOrderFilter,
      );
      if (kept.length > 0) await handle(kept);
      const last = Records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) lastRead.set(shardId, last);
      shards.set(shardId, NextShardIterator ?? null);
      return Records.length;
    } catch (error) {
      // An iterator unused for 15 minutes expires. And DynamoDB Local numbers stream
      // records across all its tables: an iterator taken at TRIM_HORIZON while the
      // shard was empty points at sequence number 1, which it then calls trimmed
      // when the shard's first record has a higher one. Either way, a new iterator
      // after the last record read (or at the oldest, now that there is one).
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)
        shards.set(shardId, await iteratorFor(shardId));
      else throw error;
      return 0;
    }
  }

  const loop = (async () => {
    let sinceDiscovery = Number.POSITIVE_INFINITY;
    while (!stopped) {
      try {
        if (sinceDiscovery * pollMs >= 1000) {
          await discoverShards();
          sinceDiscovery = 0;
        }
        let read = 0;
        for (const [shardId, iterator] of shards) {
          if (stopped) break;
          if (iterator !== null) read += await readShard(shardId, iterator);
        }
        if (read === 0) {
          sinceDiscovery += 1;
          await sleep(pollMs);
        }
      } catch (error) {
        if (stopped) break;
        options.log(
          `stream read failed (${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}); trying again`,
        );
        await sleep(pollMs * 5);
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      streams.destroy();
    },
  };
}
