import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { indexPartOf } from "./open-orders.js";
import type { Order } from "./order.js";
import { conditional, indexShardOf, OPEN_ATTRIBUTE, openShardOf, orderKey } from "./order-item.js";
import type { OrderStatus } from "./status-order.js";

/**
 * Keeps the sparse index of orders to ask the bank about (`open-orders.ts`) true: the
 * write that changes an order sets the part it now belongs in (open, or final for its
 * day-later check) in the same conditional write; an operation in flight keeps a final
 * order in the open part until the bank's word settles it; the check that confirms a
 * final order a day after its last change takes it out (`order-leases.ts`).
 */

/** The UpdateExpression part for a bank's write of `status` on an order with a bank order (append to SET). */
export function openIndexFor(orderId: string, status: OrderStatus) {
  const part = indexPartOf({ status, operations: [], bankOrderId: "known" }) ?? "final";
  return {
    set: `, ${OPEN_ATTRIBUTE} = :openShard`,
    values: { ":openShard": indexShardOf(orderId, part) },
  };
}

/**
 * Puts an order (back) in the index: its status is final, but an operation still
 * waits for the bank's word. No new version: nothing about the order changed.
 */
export async function keepOpen(
  doc: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
): Promise<void> {
  await conditional(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: orderKey(orderId),
        UpdateExpression: `SET ${OPEN_ATTRIBUTE} = :openShard`,
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":openShard": openShardOf(orderId) },
      }),
    ),
  );
}

/**
 * Puts an order that is no longer open in the part of the index it belongs in now (the
 * final part for its day-later check, or none), or takes it out once that check is
 * done (`checked`), if it is still the version that was read (a concurrent change, a
 * new operation, may have made it open again). Answers whether it did.
 */
export async function reindexIfUnchanged(
  doc: DynamoDBDocumentClient,
  tableName: string,
  order: Pick<Order, "orderId" | "version" | "status" | "operations" | "bankOrderId">,
  checked = false,
): Promise<boolean> {
  const part = checked ? null : indexPartOf(order);
  const sameVersion = order.version === 0 ? "attribute_not_exists(version)" : "version = :version";
  const values = {
    ...(order.version === 0 ? {} : { ":version": order.version }),
    ...(part === null ? {} : { ":shard": indexShardOf(order.orderId, part) }),
  };
  const result = await conditional(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: orderKey(order.orderId),
        UpdateExpression:
          part === null ? `REMOVE ${OPEN_ATTRIBUTE}` : `SET ${OPEN_ATTRIBUTE} = :shard`,
        ConditionExpression: `attribute_exists(pk) AND ${sameVersion}`,
        ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
      }),
    ),
  );
  return result.ok;
}
