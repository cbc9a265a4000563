import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Order } from "../model/order.js";
import { indexPartOf } from "./open-orders.js";
import {
  all,
  conditional,
  EXISTS,
  indexShardOf,
  OPEN_ATTRIBUTE,
  openShardOf,
  orderKey,
  SAME_VERSION,
} from "./order-item.js";

/**
 * Keeps the sparse index of orders to ask the bank about (`open-orders.ts`) true. The
 * bank's write of a status puts the order in the open part whatever the status: it
 * cannot see whether an operation still waits, and a final order with one in flight
 * must not wait a day in the final part if the process dies before the operation's
 * settling write. That write (which knows the operations), or the sweep's next run
 * (without a bank call), moves a final order to the final part; the check a day after
 * its last change takes it out (`lookup.ts`).
 */

/** The UpdateExpression part for the bank's write of a status (append to SET). */
export function openIndexFor(orderId: string) {
  return {
    set: `, ${OPEN_ATTRIBUTE} = :openShard`,
    values: { ":openShard": openShardOf(orderId) },
  };
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
  const sameVersion = order.version === 0 ? "attribute_not_exists(version)" : SAME_VERSION;
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
        ConditionExpression: all(EXISTS, sameVersion),
        ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
      }),
    ),
  );
  return result.ok;
}
