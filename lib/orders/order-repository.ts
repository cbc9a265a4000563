import {
  type AttributeValue,
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { Minor } from "../money.js";
import type { Order } from "./order.js";
import { type OrderStatus, statusRank } from "./status-order.js";

/**
 * Orders in DynamoDB. Items: `order#<orderId>` (the order) and `idem#<key>` (which
 * order an Idempotency-Key made, and the hash of its request). Every write that
 * could race is conditional on the stored state, so concurrent requests, duplicate
 * callbacks and reconciliations can neither move an order backwards nor lose an
 * update.
 */

export type CreateResult =
  | { created: true }
  | { created: false; orderId: string; requestHash: string };

/** What the bank says about an order, ready to store. */
export interface BankState {
  bankOrderId: string;
  status: OrderStatus;
  paymentMethod: string | null;
  rejectReason: string | null;
  refundAmount: Minor | null;
}

export type ApplyResult =
  | { outcome: "applied"; order: Order }
  | { outcome: "unchanged"; order: Order }
  | { outcome: "unknownOrder" };

const orderKey = (orderId: string) => ({ pk: `order#${orderId}` });
const idemKey = (key: string) => ({ pk: `idem#${key}` });

/** Nulls are left out of items: an index key may not be NULL, and absent is what conditions test. */
function toItem(order: Order): Record<string, unknown> {
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
] as const;

export function orderFromItem(item: Record<string, unknown>): Order {
  const { pk: _pk, refreshUntil: _lease, ...fields } = item;
  const order = { ...fields } as Record<string, unknown>;
  for (const key of NULLABLE) order[key] ??= null;
  return order as unknown as Order;
}

/** Runs a conditional write; on a failed condition returns the item as it was (or null if none). */
async function conditional<T>(
  write: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; old: Record<string, unknown> | null }> {
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

export class OrderRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly bankOrderIndex = "byBankOrderId",
  ) {}

  /**
   * Stores a new order before the bank is called. With an Idempotency-Key, the key
   * is claimed in the same transaction; if it was claimed before, answers which
   * order it made (no extra read: the failed condition returns the item).
   */
  async createPending(order: Order): Promise<CreateResult> {
    const put = {
      TableName: this.tableName,
      Item: toItem(order),
      ConditionExpression: "attribute_not_exists(pk)",
    };
    if (order.idempotencyKey === null) {
      await this.doc.send(new PutCommand(put));
      return { created: true };
    }
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...idemKey(order.idempotencyKey),
                  orderId: order.orderId,
                  requestHash: order.requestHash,
                  createdAt: order.createdAt,
                },
                ConditionExpression: "attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
          ],
        }),
      );
      return { created: true };
    } catch (error) {
      const reason =
        error instanceof TransactionCanceledException ? error.CancellationReasons?.[1] : undefined;
      if (reason?.Code !== "ConditionalCheckFailed" || !reason.Item) throw error;
      const claimed = unmarshall(reason.Item);
      return {
        created: false,
        orderId: String(claimed.orderId),
        requestHash: String(claimed.requestHash),
      };
    }
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: orderKey(orderId), ConsistentRead: true }),
    );
    return Item ? orderFromItem(Item) : undefined;
  }

  /** The bank created the order: remember its id and payment page; `pending` becomes `created`. */
  async recordBankOrder(
    orderId: string,
    bankOrderId: string,
    redirectUrl: string,
    now: string,
  ): Promise<Order> {
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression:
            "SET bankOrderId = :bank, redirectUrl = :redirect, #status = :created, statusRank = :createdRank, updatedAt = :now REMOVE bankError",
          ConditionExpression: "attribute_exists(pk) AND statusRank < :createdRank",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":bank": bankOrderId,
            ":redirect": redirectUrl,
            ":created": "created",
            ":createdRank": statusRank("created"),
            ":now": now,
          },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    if (result.ok) return orderFromItem(result.value.Attributes ?? {});
    // A concurrent retry of the same request (same bank order) got there first.
    if (result.old) return orderFromItem(result.old);
    throw new Error(`order ${orderId} vanished while recording its bank order`);
  }

  /** The bank call failed; the order stays `pending`, with the reason, for a retry to resume. */
  async recordBankFailure(orderId: string, reason: string, now: string): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET bankError = :reason, updatedAt = :now",
          ConditionExpression: "attribute_exists(pk) AND statusRank = :pending",
          ExpressionAttributeValues: {
            ":reason": reason,
            ":now": now,
            ":pending": statusRank("pending"),
          },
        }),
      ),
    );
  }

  /**
   * Claims the right to ask the bank about a stale order, for `leaseMs`: of many
   * concurrent polls, one asks the bank and the rest answer what is stored.
   */
  async claimRefresh(
    orderId: string,
    now: number,
    staleBefore: number,
    leaseMs: number,
  ): Promise<boolean> {
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET refreshUntil = :until",
          ConditionExpression:
            "attribute_exists(pk) AND (attribute_not_exists(lastBankCheckAt) OR lastBankCheckAt < :stale) AND (attribute_not_exists(refreshUntil) OR refreshUntil < :now)",
          ExpressionAttributeValues: {
            ":until": now + leaseMs,
            ":stale": staleBefore,
            ":now": now,
          },
        }),
      ),
    );
    return result.ok;
  }

  /**
   * Stores what the bank says, if it moves the order forward: a higher status, or
   * the same status with more refunded. Otherwise nothing changes. The bank order id
   * must be this order's (or the order has none yet).
   */
  async applyBankState(
    orderId: string,
    state: BankState,
    checkedAt: number,
    now: string,
  ): Promise<ApplyResult> {
    const rank = statusRank(state.status);
    const forward =
      state.refundAmount === null
        ? "statusRank < :rank"
        : "(statusRank < :rank OR (statusRank = :rank AND #status = :status AND (attribute_not_exists(refundAmount) OR attribute_type(refundAmount, :nullType) OR refundAmount < :refund)))";
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression:
            "SET #status = :status, statusRank = :rank, bankOrderId = :bank, paymentMethod = :method, rejectReason = :reason, refundAmount = :refund, updatedAt = :now, lastBankCheckAt = :checked REMOVE refreshUntil, bankError",
          ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(bankOrderId) OR bankOrderId = :bank) AND ${forward}`,
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":status": state.status,
            ":rank": rank,
            ":bank": state.bankOrderId,
            ":method": state.paymentMethod,
            ":reason": state.rejectReason,
            ":refund": state.refundAmount,
            ":now": now,
            ":checked": checkedAt,
            ...(state.refundAmount === null ? {} : { ":nullType": "NULL" }),
          },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    if (result.ok)
      return { outcome: "applied", order: orderFromItem(result.value.Attributes ?? {}) };
    const old = result.old;
    if (!old || (old.bankOrderId && old.bankOrderId !== state.bankOrderId))
      return { outcome: "unknownOrder" };
    return { outcome: "unchanged", order: orderFromItem(old) };
  }

  /** The bank confirmed what we have: remember when, so polls need not ask again soon. */
  async markChecked(orderId: string, checkedAt: number): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET lastBankCheckAt = :checked REMOVE refreshUntil",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":checked": checkedAt },
        }),
      ),
    );
  }

  /** A status the bank reported that we do not know: kept as written, the status untouched. */
  async recordUnknownStatus(
    orderId: string,
    bankOrderId: string,
    status: string,
    now: string,
  ): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET unknownBankStatus = :status, updatedAt = :now",
          ConditionExpression: "attribute_exists(pk) AND bankOrderId = :bank",
          ExpressionAttributeValues: { ":status": status, ":now": now, ":bank": bankOrderId },
        }),
      ),
    );
  }

  /** Our order id for a bank order id (the index is eventually consistent). */
  async findByBankOrderId(bankOrderId: string): Promise<string | undefined> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: this.bankOrderIndex,
        KeyConditionExpression: "bankOrderId = :bank",
        ExpressionAttributeValues: { ":bank": bankOrderId },
        Limit: 2,
      }),
    );
    const orderId = Items?.[0]?.orderId;
    return typeof orderId === "string" ? orderId : undefined;
  }
}
