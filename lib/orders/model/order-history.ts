import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conditional, orderFromItem, orderKey, statusShardOf } from "../storage/order-item.js";
import type { ChangeSource, Order } from "./order.js";
import type { OrderStatus } from "./status-rank.js";

/** Status changes kept in an order's history; older ones are dropped. */
const HISTORY_LIMIT = 100;

/**
 * What every change of status writes, in the same conditional write: the status's
 * list key, the version (+1) and a history entry. The caller's UpdateExpression
 * must SET `#status` itself.
 */
export function statusChange(
  orderId: string,
  status: OrderStatus,
  source: ChangeSource,
  at: string,
) {
  return {
    set: "statusShard = :statusShard, version = if_not_exists(version, :zero) + :one, history = list_append(if_not_exists(history, :none), :entry)",
    values: {
      ":statusShard": statusShardOf(orderId, status),
      ":zero": 0,
      ":one": 1,
      ":none": [],
      ":entry": [{ at, status, source }],
    },
  };
}

/**
 * Drops the oldest history entries beyond HISTORY_LIMIT. Rare (an order changes a
 * few times), so it is a second write only when needed, conditional on the version
 * it trims, so that a concurrent change is never lost.
 */
export async function keepHistoryBounded(
  doc: DynamoDBDocumentClient,
  tableName: string,
  order: Order,
): Promise<Order> {
  const excess = order.history.length - HISTORY_LIMIT;
  if (excess <= 0) return order;
  const drop = Array.from({ length: excess }, (_, i) => `history[${i}]`).join(", ");
  const trimmed = await conditional(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: orderKey(order.orderId),
        UpdateExpression: `REMOVE ${drop}`,
        ConditionExpression: "version = :version",
        ExpressionAttributeValues: { ":version": order.version },
        ReturnValues: "ALL_NEW",
      }),
    ),
  );
  return trimmed.ok ? orderFromItem(trimmed.value.Attributes ?? {}) : order;
}
