import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { Minor } from "../../money.js";
import type { Operation, Order } from "../model/order.js";
import { reindexIfUnchanged } from "./open-index.js";
import { indexPartOf, isOpen } from "./open-orders.js";
import {
  ABSENT,
  all,
  conditional,
  EXISTS,
  indexShardOf,
  leaseFree,
  OPEN_ATTRIBUTE,
  OPERATION_EXISTS,
  OPERATION_REQUESTED,
  openShardOf,
  opKey,
  orderFromItem,
  orderKey,
  SAME_VERSION,
} from "./order-item.js";

/**
 * Operations on orders in DynamoDB. A request reserves in one transaction: its
 * Idempotency-Key (`opkey#<key>`: which order and operation it made, and the hash
 * of its request) and the operation on the order, conditional on the order's state
 * and, for refunds, on what is left to refund, counted in `refundCommitted` (the
 * bank's refunded total plus refunds in flight) with an atomic ADD: concurrent
 * refunds can never together exceed what was paid.
 */

export type Reservation =
  | { outcome: "reserved" }
  | { outcome: "replay"; orderId: string; operationId: string; requestHash: string }
  | { outcome: "refused"; order: Order | null };

export interface ReserveGuard {
  /** The statuses the operation is allowed in. */
  statuses: readonly string[];
  /** Refunds: the most `refundCommitted` may be before this one is added. */
  refundLimit?: Minor;
  /** Capture and void: no other capture or void may be in flight or done. */
  decision?: boolean;
}

export class OperationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(
    orderId: string,
    operation: Operation,
    guard: ReserveGuard,
    idem: { key: string; requestHash: string },
  ): Promise<Reservation> {
    const statuses = guard.statuses.map((_, i) => `:s${i}`);
    const conditions = [EXISTS, `#status IN (${statuses.join(", ")})`];
    // An operation in flight keeps the order in the index of open orders until it is settled.
    let update = `SET operations.#op = :op, version = if_not_exists(version, :zero) + :one, updatedAt = :now, ${OPEN_ATTRIBUTE} = :openShard`;
    const values: Record<string, unknown> = {
      ":op": operation,
      ":openShard": openShardOf(orderId),
      ":zero": 0,
      ":one": 1,
      ":now": operation.requestedAt,
      ...Object.fromEntries(guard.statuses.map((status, i) => [`:s${i}`, status])),
    };
    if (guard.refundLimit !== undefined) {
      // The bank's refunded total may be newer than refundCommitted (a Business Manager
      // refund not yet settled): neither may be above the limit.
      conditions.push(
        "(attribute_not_exists(refundCommitted) OR refundCommitted <= :limit) AND (attribute_not_exists(refundAmount) OR attribute_type(refundAmount, :nullType) OR refundAmount <= :limit)",
      );
      update += " ADD refundCommitted :amount";
      values[":limit"] = guard.refundLimit;
      values[":amount"] = operation.amount ?? 0;
      values[":nullType"] = "NULL";
    }
    if (guard.decision) {
      conditions.push("attribute_not_exists(authorizationDecision)");
      update = update.replace("SET ", "SET authorizationDecision = :opId, ");
      values[":opId"] = operation.operationId;
    }
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...opKey(idem.key),
                  orderId,
                  operationId: operation.operationId,
                  requestHash: idem.requestHash,
                  createdAt: operation.requestedAt,
                },
                ConditionExpression: ABSENT,
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: orderKey(orderId),
                UpdateExpression: update,
                ConditionExpression: all(...conditions),
                ExpressionAttributeNames: { "#status": "status", "#op": operation.operationId },
                ExpressionAttributeValues: values,
                ReturnValuesOnConditionCheckFailure: "ALL_OLD",
              },
            },
          ],
        }),
      );
      return { outcome: "reserved" };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [key, order] = error.CancellationReasons ?? [];
      if (key?.Code === "ConditionalCheckFailed" && key.Item) {
        const claimed = unmarshall(key.Item);
        return {
          outcome: "replay",
          orderId: String(claimed.orderId),
          operationId: String(claimed.operationId),
          requestHash: String(claimed.requestHash),
        };
      }
      if (order?.Code === "ConditionalCheckFailed") {
        return {
          outcome: "refused",
          order: order.Item ? orderFromItem(unmarshall(order.Item)) : null,
        };
      }
      throw error;
    }
  }

  /**
   * Claims the right to send a requested operation to the bank until `until` (the
   * claimant's deadline): of concurrent retries with one key, one calls the bank and
   * the others answer the operation as it stands. Never two bank calls in flight.
   */
  async claimOperationCall(
    orderId: string,
    operationId: string,
    now: number,
    until: number,
  ): Promise<boolean> {
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET operations.#op.bankCallUntil = :until",
          ConditionExpression: all(
            OPERATION_REQUESTED,
            "attribute_not_exists(operations.#op.bankAccepted)",
            leaseFree("operations.#op.bankCallUntil"),
          ),
          ExpressionAttributeNames: { "#op": operationId, "#state": "state" },
          ExpressionAttributeValues: { ":until": until, ":now": now, ":requested": "requested" },
        }),
      ),
    );
    return result.ok;
  }

  /** The bank's answer did not arrive: give the claim back, so that a retry may send it. */
  async releaseOperationCall(orderId: string, operationId: string): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "REMOVE operations.#op.bankCallUntil",
          ConditionExpression: OPERATION_EXISTS,
          ExpressionAttributeNames: { "#op": operationId },
        }),
      ),
    );
  }

  /** The bank took the request: remember that, and its action id (the operation stays `requested`). */
  async accepted(orderId: string, operationId: string, actionId: string | null): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression:
            "SET operations.#op.bankActionId = :action, operations.#op.bankAccepted = :yes REMOVE operations.#op.bankCallUntil",
          ConditionExpression: OPERATION_EXISTS,
          ExpressionAttributeNames: { "#op": operationId },
          ExpressionAttributeValues: { ":action": actionId, ":yes": true },
        }),
      ),
    );
  }

  /**
   * The bank refused the request: the operation is `rejected` with the bank's
   * message, and what it reserved is given back.
   */
  async rejected(
    orderId: string,
    operation: Operation,
    message: string,
    at: string,
  ): Promise<Order | null> {
    const release =
      operation.kind === "refund" ? " ADD refundCommitted :minus" : ", authorizationDecision";
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: `SET operations.#op.#state = :rejected, operations.#op.bankMessage = :message, operations.#op.updatedAt = :at, version = version + :one, updatedAt = :at REMOVE operations.#op.bankCallUntil${release}`,
          ConditionExpression: OPERATION_REQUESTED,
          ExpressionAttributeNames: { "#op": operation.operationId, "#state": "state" },
          ExpressionAttributeValues: {
            ":rejected": "rejected",
            ":requested": "requested",
            ":message": message,
            ":at": at,
            ":one": 1,
            ...(operation.kind === "refund" ? { ":minus": -(operation.amount ?? 0) } : {}),
          },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    // Already settled by another request (a retry the bank refused too): nothing to release.
    if (!result.ok) return null;
    const order = orderFromItem(result.value.Attributes ?? {});
    if (!isOpen(order)) await reindexIfUnchanged(this.doc, this.tableName, order);
    return order;
  }

  /**
   * Writes what the bank's word settled (operations, captured amount, refunds
   * committed), conditional on the version it was computed from: a concurrent change
   * makes the caller compute again. The order stays in the index of open orders while
   * it is open, and leaves it with the write that settles its last operation.
   */
  async settle(
    order: Order,
    settled: { operations: Operation[]; capturedAmount: Minor | null; refundCommitted: Minor },
    at: string,
  ): Promise<boolean> {
    const part = indexPartOf({ ...order, operations: settled.operations });
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(order.orderId),
          UpdateExpression: `SET operations = :ops, capturedAmount = :captured, refundCommitted = :committed, version = if_not_exists(version, :zero) + :one, updatedAt = :at${part ? `, ${OPEN_ATTRIBUTE} = :openShard` : ` REMOVE ${OPEN_ATTRIBUTE}`}`,
          ConditionExpression: SAME_VERSION,
          ExpressionAttributeValues: {
            ...(part ? { ":openShard": indexShardOf(order.orderId, part) } : {}),
            ":ops": Object.fromEntries(settled.operations.map((op) => [op.operationId, op])),
            ":captured": settled.capturedAmount,
            ":committed": settled.refundCommitted,
            ":zero": 0,
            ":one": 1,
            ":at": at,
            ":version": order.version,
          },
        }),
      ),
    );
    return result.ok;
  }
}
