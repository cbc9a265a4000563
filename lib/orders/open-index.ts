import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Order } from "./order.js";
import { conditional, OPEN_ATTRIBUTE, openShardOf, orderKey } from "./order-item.js";
import { isFinal, type OrderStatus } from "./status-order.js";

/**
 * Keeps the sparse index of open orders (`open-orders.ts`) true: the write that makes
 * an order final removes `openShard` in the same conditional write, one that leaves
 * it open sets it; an operation in flight keeps a final order in the index until the
 * bank's word settles it.
 */

/** The UpdateExpression parts for a write of `status` (append `set` to SET, `remove` to REMOVE). */
export function openIndexFor(orderId: string, status: OrderStatus) {
  return isFinal(status)
    ? { set: "", remove: `, ${OPEN_ATTRIBUTE}`, values: {} }
    : {
        set: `, ${OPEN_ATTRIBUTE} = :openShard`,
        remove: "",
        values: { ":openShard": openShardOf(orderId) },
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
 * Takes an order that is no longer open out of the index, if it is still the version
 * that was read (a concurrent change, a new operation, may have made it open again).
 * Answers whether it did.
 */
export async function closeIfUnchanged(
  doc: DynamoDBDocumentClient,
  tableName: string,
  order: Pick<Order, "orderId" | "version">,
): Promise<boolean> {
  const sameVersion = order.version === 0 ? "attribute_not_exists(version)" : "version = :version";
  const result = await conditional(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: orderKey(order.orderId),
        UpdateExpression: `REMOVE ${OPEN_ATTRIBUTE}`,
        ConditionExpression: `attribute_exists(pk) AND ${sameVersion}`,
        ...(order.version === 0
          ? {}
          : { ExpressionAttributeValues: { ":version": order.version } }),
      }),
    ),
  );
  return result.ok;
}
