import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { LIST_SHARDS, ORDER_INDEXES } from "../../dynamo/tables.js";
import type { Order } from "../model/order.js";
import type { OrderStatus } from "../model/status-rank.js";
import { orderFromItem, orderKey } from "./order-item.js";

/**
 * Orders, newest first, through the list indexes: never a scan. By reference: one
 * query of that reference's partition. Otherwise (all orders, or one status): one
 * query per shard, all at once, merged by creation time; the cursor remembers where
 * each shard stopped. A page costs LIST_SHARDS queries (in parallel), or one.
 */

export interface ListFilter {
  status?: OrderStatus;
  reference?: string;
  /** ISO 8601 seconds, inclusive. */
  from?: string;
  to?: string;
}

/** Where each partition stopped: the last createdKey taken, or "done". */
export type ListPosition = Record<string, string>;

export interface ListPage {
  orders: Order[];
  /** null when every partition is exhausted. */
  next: ListPosition | null;
}

export const DONE = "done";

export function partitions(filter: ListFilter): {
  index: string;
  attribute: string;
  values: string[];
} {
  if (filter.reference !== undefined) {
    return { index: ORDER_INDEXES.reference, attribute: "reference", values: [filter.reference] };
  }
  const shards = Array.from({ length: LIST_SHARDS }, (_, n) => n);
  if (filter.status !== undefined) {
    const status = filter.status;
    return {
      index: ORDER_INDEXES.status,
      attribute: "statusShard",
      values: shards.map((n) => `${status}#${n}`),
    };
  }
  return {
    index: ORDER_INDEXES.created,
    attribute: "listShard",
    values: shards.map((n) => `all#${n}`),
  };
}

/** `createdKey` is `<createdAt>#<orderId>`: these bound it to the filter's times. */
const LOWEST = "0";
const HIGHEST = "~";

export class OrderListStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(filter: ListFilter, limit: number, after: ListPosition | null): Promise<ListPage> {
    const { index, attribute, values } = partitions(filter);
    const from = filter.from ?? LOWEST;
    const to = filter.to === undefined ? HIGHEST : `${filter.to}#${HIGHEST}`;
    const fetched = await Promise.all(
      values.map(async (value) => {
        const last = after?.[value];
        if (last === DONE) return { value, items: [] as Order[], more: false };
        const orderId = last?.slice(last.indexOf("#") + 1);
        const { Items, LastEvaluatedKey } = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index,
            KeyConditionExpression: "#p = :p AND createdKey BETWEEN :from AND :to",
            ExpressionAttributeNames: { "#p": attribute },
            ExpressionAttributeValues: { ":p": value, ":from": from, ":to": to },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey:
              last && orderId
                ? { ...orderKey(orderId), [attribute]: value, createdKey: last }
                : undefined,
          }),
        );
        return {
          value,
          items: (Items ?? []).map(orderFromItem),
          more: LastEvaluatedKey !== undefined,
        };
      }),
    );
    const merged = fetched
      .flatMap(({ value, items }) =>
        items.map((order) => ({ value, order, key: `${order.createdAt}#${order.orderId}` })),
      )
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
      .slice(0, limit);

    const next: ListPosition = {};
    let anyLeft = false;
    for (const { value, items, more } of fetched) {
      const taken = merged.filter((m) => m.value === value);
      const lastTaken = taken[taken.length - 1];
      const exhausted = !more && taken.length === items.length;
      if (exhausted) next[value] = DONE;
      else {
        anyLeft = true;
        const position = lastTaken?.key ?? after?.[value];
        if (position !== undefined) next[value] = position;
      }
    }
    return { orders: merged.map((m) => m.order), next: anyLeft ? next : null };
  }
}
