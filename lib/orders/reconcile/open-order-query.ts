import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { LIST_SHARDS, ORDER_INDEXES } from "../../dynamo/tables.js";
import type { Order } from "../model/order.js";
import type { IndexPart } from "../storage/open-orders.js";
import { indexShardKey, OPEN_ATTRIBUTE, orderFromItem } from "../storage/order-item.js";

/**
 * Reads the sparse index of orders to ask about (`byOpen`, lib/dynamo/tables.ts), never
 * the table: one part (`open-orders.ts`) and shard at a time, oldest first, only orders created before a cutoff
 * (younger ones cannot be stale yet). The index is eventually consistent, so what it
 * answers is a hint: every write made from it is conditional on the stored item.
 */

export type PageKey = Record<string, unknown>;

/** Orders per page of one shard. */
export const OPEN_PAGE_SIZE = 50;

export const OPEN_SHARDS = Array.from({ length: LIST_SHARDS }, (_, shard) => shard);

export class OpenOrderQuery {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly indexName: string = ORDER_INDEXES.open,
  ) {}

  async page(
    part: IndexPart,
    shard: number,
    createdBefore: string,
    startKey?: PageKey,
  ): Promise<{ orders: Order[]; next: PageKey | undefined }> {
    const { Items, LastEvaluatedKey } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: this.indexName,
        KeyConditionExpression: "#open = :shard AND createdKey < :before",
        ExpressionAttributeNames: { "#open": OPEN_ATTRIBUTE },
        ExpressionAttributeValues: {
          ":shard": indexShardKey(part, shard),
          ":before": createdBefore,
        },
        ScanIndexForward: true,
        Limit: OPEN_PAGE_SIZE,
        ExclusiveStartKey: startKey,
      }),
    );
    return { orders: (Items ?? []).map(orderFromItem), next: LastEvaluatedKey };
  }
}
