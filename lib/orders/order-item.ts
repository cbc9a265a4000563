import { type AttributeValue, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { Order } from "./order.js";

/**
 * An order as a DynamoDB item, and the one helper for conditional writes: the item
 * layout belongs here, the rules that write it to the repositories.
 */

export const orderKey = (orderId: string) => ({ pk: `order#${orderId}` });
export const idemKey = (key: string) => ({ pk: `idem#${key}` });

/** Nulls are left out of items: an index key may not be NULL, and absent is what conditions test. */
export function toItem(order: Order): Record<string, unknown> {
  const fields = Object.entries(order).filter(([, value]) => value !== null);
  return { ...orderKey(order.orderId), ...Object.fromEntries(fields) };
}

const NULLABLE = [
  "idempotencyKey",
  "bankOrderId",
  "redirectUrl",
  "paymentMethod",
  "rejectReason",
  "refundAmount",
  "bankError",
  "lastBankCheckAt",
  "unknownBankStatus",
  "bankCallUntil",
] as const;

export function orderFromItem(item: Record<string, unknown>): Order {
  const { pk: _pk, refreshUntil: _lease, ...fields } = item;
  const order = { ...fields } as Record<string, unknown>;
  for (const key of NULLABLE) order[key] ??= null;
  order.anomalies ??= [];
  return order as unknown as Order;
}

export type Conditional<T> =
  | { ok: true; value: T }
  | { ok: false; old: Record<string, unknown> | null };

/** Runs a conditional write; on a failed condition returns the item as it was (or null if none). */
export async function conditional<T>(write: Promise<T>): Promise<Conditional<T>> {
  try {
    return { ok: true, value: await write };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      const item = error.Item as Record<string, AttributeValue> | undefined;
      return { ok: false, old: item ? unmarshall(item) : null };
    }
    throw error;
  }
}
