import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { PaymentDiscount } from "../../bog/payment-details.js";
import type { BankStatus } from "../../bog/statuses.js";
import { StorageUnavailableError } from "../../dynamo/storage-errors.js";
import { ORDER_INDEXES } from "../../dynamo/tables.js";
import type { Minor } from "../../money.js";
import { type AnomalyReason, orderMismatch } from "../bank-answers/callback-trust.js";
import type { Anomaly, ChangeSource, Order } from "../model/order.js";
import { keepHistoryBounded, statusChange } from "../model/order-history.js";
import { type OrderStatus, statusRank } from "../model/status-rank.js";
import { openIndexFor, reindexIfUnchanged } from "./open-index.js";
import {
  ABSENT,
  ANOMALY_ROOM,
  all,
  BANK_ORDER_IS,
  conditional,
  EXISTS,
  idemKey,
  orderFromItem,
  orderKey,
  toItem,
} from "./order-item.js";
import { OrderLeases } from "./order-leases.js";

/**
 * Orders in DynamoDB. Items: `order#<orderId>` (the order) and `idem#<key>` (which
 * order an Idempotency-Key made, and the hash of its request). Every write that
 * could race is conditional on the stored state, so concurrent requests, duplicate
 * callbacks and reconciliations can neither move an order backwards nor lose an
 * update, and a bank message about another order, merchant or amount moves nothing.
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
  /** What the bank says was asked for: must equal the order. */
  currency: string;
  requestAmount: Minor;
  /** What the bank charged (or captured); recorded when the payment completes. */
  transferAmount: Minor | null;
  /** The bank's discount block, when it applied one. */
  discount: PaymentDiscount | null;
}

export type ApplyResult =
  | { outcome: "applied"; order: Order }
  | { outcome: "unchanged"; order: Order }
  /** The order has no bank order on file: only the bank itself can say this one is its. */
  | { outcome: "needsLookup"; order: Order }
  | { outcome: "mismatch"; order: Order; reason: AnomalyReason }
  | { outcome: "unknownOrder" };

/** Anomalies kept on one order; more are still logged and counted, not stored. */
const MAX_ANOMALIES = 20;

/** How often a contended Idempotency-Key claim is tried before the caller is told to retry. */
const CLAIM_ATTEMPTS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class OrderStore {
  /** Who may call the bank about an order, and when: the same items, its own rules. */
  readonly leases: OrderLeases;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly bankOrderIndex: string = ORDER_INDEXES.bankOrderId,
  ) {
    this.leases = new OrderLeases(doc, tableName);
  }

  /**
   * Stores a new order before the bank is called. With an Idempotency-Key, the key
   * is claimed in the same transaction; if it was claimed before, answers which
   * order it made (no extra read: the failed condition returns the item). Concurrent
   * claims of one key may cancel each other (TransactionConflict): they are tried
   * again, a few times, with jitter.
   */
  async createPending(order: Order): Promise<CreateResult> {
    const put = {
      TableName: this.tableName,
      Item: toItem(order),
      ConditionExpression: ABSENT,
    };
    if (order.idempotencyKey === null) {
      await this.doc.send(new PutCommand(put));
      return { created: true };
    }
    const claim = {
      TableName: this.tableName,
      Item: {
        ...idemKey(order.idempotencyKey),
        orderId: order.orderId,
        requestHash: order.requestHash,
        createdAt: order.createdAt,
      },
      ConditionExpression: ABSENT,
      ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
    };
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      try {
        await this.doc.send(
          new TransactWriteCommand({ TransactItems: [{ Put: put }, { Put: claim }] }),
        );
        return { created: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reason = error.CancellationReasons?.[1];
        if (reason?.Code === "ConditionalCheckFailed" && reason.Item) {
          const claimed = unmarshall(reason.Item);
          return {
            created: false,
            orderId: String(claimed.orderId),
            requestHash: String(claimed.requestHash),
          };
        }
        const contended = error.CancellationReasons?.some((r) => r.Code === "TransactionConflict");
        if (!contended) throw error;
        // Stryker disable next-line ArithmeticOperator: the jitter only sets how long a contended claim sleeps; the number of tries and the answer are tested
        await sleep(Math.random() * 50 * attempt);
      }
    }
    // Stryker disable next-line StringLiteral: a StorageUnavailableError is answered 503 with the error handler's own message: this one is never shown nor logged
    throw new StorageUnavailableError("the Idempotency-Key stayed contended; try again");
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: orderKey(orderId), ConsistentRead: true }),
    );
    return Item ? orderFromItem(Item) : undefined;
  }

  /** The order an Idempotency-Key already placed, if any. */
  async orderIdForKey(idempotencyKey: string): Promise<string | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: idemKey(idempotencyKey),
        ConsistentRead: true,
      }),
    );
    return typeof Item?.orderId === "string" ? Item.orderId : undefined;
  }

  /**
   * The bank created the order: remember its id and payment page; `pending` becomes
   * `created`. If the bank's word about this bank order arrived first (a callback
   * while the answer was on its way), the status stays where it is and only the
   * payment page is added, so a retry never answers without it.
   */
  async recordBankOrder(
    orderId: string,
    bankOrderId: string,
    redirectUrl: string | null,
    now: string,
    /** A wallet order's status as the bank's answer gave it, for replays to answer alike. */
    walletAnswer: BankStatus | null = null,
  ): Promise<Order> {
    // A wallet order may have no page (paid at once); null is left out of the item.
    const page =
      (redirectUrl === null ? "" : "redirectUrl = :redirect, ") +
      (walletAnswer === null ? "" : "walletAnswer = :answer, ");
    const values = {
      ":bank": bankOrderId,
      ":now": now,
      ...(redirectUrl !== null && { ":redirect": redirectUrl }),
      ...(walletAnswer !== null && { ":answer": walletAnswer }),
    };
    const change = statusChange(orderId, "created", "api", now);
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: `SET bankOrderId = :bank, ${page}#status = :created, statusRank = :createdRank, updatedAt = :now, ${change.set} REMOVE bankError, bankCallUntil`,
          ConditionExpression: all(EXISTS, "statusRank < :createdRank"),
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ...values,
            ...change.values,
            ":created": "created",
            ":createdRank": statusRank("created"),
          },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    if (result.ok)
      return keepHistoryBounded(
        this.doc,
        this.tableName,
        orderFromItem(result.value.Attributes ?? {}),
      );
    // Stryker disable next-line StringLiteral: orders are never deleted: the write's condition fails only on the status, with the item there
    if (!result.old) throw new Error(`order ${orderId} vanished while recording its bank order`);
    const old = orderFromItem(result.old);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: the early return only saves a second write whose own condition refuses the same cases and answers the item as it is
    if (redirectUrl === null || old.redirectUrl !== null || old.bankOrderId !== bankOrderId)
      return old;
    const added = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET redirectUrl = :redirect REMOVE bankError, bankCallUntil",
          ConditionExpression: all(BANK_ORDER_IS, "attribute_not_exists(redirectUrl)"),
          ExpressionAttributeValues: { ":bank": bankOrderId, ":redirect": redirectUrl },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    if (added.ok) return orderFromItem(added.value.Attributes ?? {});
    return added.old ? orderFromItem(added.old) : old;
  }

  /** The bank call failed; the order stays `pending`, with the reason, for a retry to resume. */
  async recordBankFailure(orderId: string, reason: string, now: string): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET bankError = :reason, updatedAt = :now REMOVE bankCallUntil",
          ConditionExpression: all(EXISTS, "statusRank = :pending"),
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
   * Stores what the bank says, if it is about this order and moves it forward: a
   * higher status, or the same status with more refunded. The write is conditional
   * on the bank order id on file (with `adopt`, also on none being on file: the
   * bank itself confirmed it with our credentials), the order's currency and amount,
   * and the status order; a failed condition is explained from the item as it was.
   */
  async applyBankState(
    orderId: string,
    state: BankState,
    checkedAt: number,
    now: string,
    options: { adopt: boolean; source: ChangeSource },
  ): Promise<ApplyResult> {
    const rank = statusRank(state.status);
    const change = statusChange(orderId, state.status, options.source, now);
    const open = openIndexFor(orderId);
    // What was charged, from the first word that the payment completed (later words
    // show less as refunds are made; a zero there is no charge we could bound refunds by).
    const charges =
      state.transferAmount !== null &&
      state.transferAmount > 0 &&
      (state.status === "completed" || state.status === "partial_completed");
    // A partial capture's amount is what the bank took: kept in this write, so that the
    // status change's event already carries it (the capture operation settles after).
    // What a hold blocked: after a bank discount less than asked, and the most a capture takes.
    const holds =
      state.transferAmount !== null && state.transferAmount > 0 && state.status === "blocked";
    const charged =
      (charges ? ", chargedAmount = if_not_exists(chargedAmount, :transfer)" : "") +
      (holds ? ", authorizedAmount = if_not_exists(authorizedAmount, :transfer)" : "") +
      (charges && state.status === "partial_completed"
        ? ", capturedAmount = if_not_exists(capturedAmount, :transfer)"
        : "") +
      (state.discount ? ", bankDiscount = :discount" : "");
    const forward =
      state.refundAmount === null
        ? "statusRank < :rank"
        : "(statusRank < :rank OR (statusRank = :rank AND #status = :status AND (attribute_not_exists(refundAmount) OR attribute_type(refundAmount, :nullType) OR refundAmount < :refund)))";
    const bankOrder = options.adopt
      ? `(attribute_not_exists(bankOrderId) OR ${BANK_ORDER_IS})`
      : BANK_ORDER_IS;
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: `SET #status = :status, statusRank = :rank, bankOrderId = :bank, paymentMethod = :method, rejectReason = :reason, refundAmount = :refund, updatedAt = :now, lastBankCheckAt = :checked, ${change.set}${charged}${open.set} REMOVE refreshUntil, bankError`,
          ConditionExpression: all(
            EXISTS,
            bankOrder,
            "currency = :currency",
            "amount = :requested",
            forward,
          ),
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":status": state.status,
            ":rank": rank,
            ":bank": state.bankOrderId,
            ":method": state.paymentMethod,
            ":reason": state.rejectReason,
            ":refund": state.refundAmount,
            ":currency": state.currency,
            ":requested": state.requestAmount,
            ":now": now,
            ":checked": checkedAt,
            ...change.values,
            ...open.values,
            ...(charges || holds ? { ":transfer": state.transferAmount } : {}),
            ...(state.discount ? { ":discount": state.discount } : {}),
            ...(state.refundAmount === null ? {} : { ":nullType": "NULL" }),
          },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    if (result.ok) {
      const order = await keepHistoryBounded(
        this.doc,
        this.tableName,
        orderFromItem(result.value.Attributes ?? {}),
      );
      return { outcome: "applied", order };
    }
    if (!result.old) return { outcome: "unknownOrder" };
    const old = orderFromItem(result.old);
    const reason = orderMismatch(state, old);
    if (reason) return { outcome: "mismatch", order: old, reason };
    if (old.bankOrderId === null && !options.adopt) return { outcome: "needsLookup", order: old };
    return { outcome: "unchanged", order: old };
  }

  /** Keeps a bank message that was not applied on the order, for an operator (bounded). */
  async recordAnomaly(orderId: string, anomaly: Anomaly): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET anomalies = list_append(if_not_exists(anomalies, :none), :one)",
          ConditionExpression: all(EXISTS, ANOMALY_ROOM),
          ExpressionAttributeValues: {
            // Stryker disable next-line ArrayDeclaration: `:none` is never taken by if_not_exists(anomalies, :none): every order is written with anomalies: []
            ":none": [],
            ":one": [anomaly],
            ":max": MAX_ANOMALIES,
          },
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
          ConditionExpression: all(EXISTS, BANK_ORDER_IS),
          ExpressionAttributeValues: { ":status": status, ":now": now, ":bank": bankOrderId },
        }),
      ),
    );
  }

  /**
   * An order that is no longer open moves to the part of the index it belongs in (or
   * leaves it once its final check is `checked`), unless it changed since it was read.
   */
  async reindexIfUnchanged(
    order: Pick<Order, "orderId" | "version" | "status" | "operations" | "bankOrderId">,
    checked = false,
  ): Promise<boolean> {
    return reindexIfUnchanged(this.doc, this.tableName, order, checked);
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
    // Equivalent mutant, not disabled (it shares its line with tested ones): → true: every item of the bank-order index is an order item, written with a string orderId
    return typeof orderId === "string" ? orderId : undefined;
  }
}
