import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Order } from "../model/order.js";
import {
  all,
  conditional,
  createdKeyOf,
  EXISTS,
  leaseFree,
  NOT_PLACED,
  OPEN_ATTRIBUTE,
  openShardOf,
  orderFromItem,
  orderKey,
  UNCHECKED_SINCE_STALE,
} from "./order-item.js";

/**
 * Who may call the bank about an order, and when: short leases on the order item,
 * so that of many concurrent requests (retries, polls, callbacks, the sweep) one
 * calls the bank and the others answer what is stored. `bankCallUntil` guards the
 * bank's create-order; `refreshUntil` and `lastBankCheckAt` guard lookups of the
 * payment details (at most one per order per refresh interval).
 */

/** The shortest time one request holds the right to ask the bank about an order. */
export const LOOKUP_LEASE_MS = 5000;

export class OrderLeases {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims the right to call the bank's create-order for this order until `until`
   * (the claimant's own deadline): of many concurrent retries with one key, one calls
   * the bank and the others wait for its outcome. Answers the order as it is when the
   * claim fails (held by another, or already confirmed).
   */
  async claimPlacement(
    orderId: string,
    now: number,
    until: number,
  ): Promise<{ claimed: true } | { claimed: false; order: Order | null }> {
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET bankCallUntil = :until",
          // Not once placed (place-order.ts isPlaced): a page order has its page, a wallet
          // order and an automatic charge of a saved card their bank order.
          ConditionExpression: all(EXISTS, NOT_PLACED, leaseFree("bankCallUntil")),
          ExpressionAttributeNames: { "#type": "type" },
          ExpressionAttributeValues: {
            ":until": until,
            ":now": now,
            ":subscription": "subscription",
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    if (result.ok) return { claimed: true };
    return { claimed: false, order: result.old ? orderFromItem(result.old) : null };
  }

  /**
   * Claims the right to ask the bank about an order (see the lease below): of many
   * concurrent polls and callbacks, one asks the bank and the rest answer what is
   * stored. Only when the bank has not confirmed the order for `refreshMs`: at most
   * one lookup per order per refresh interval. The lease is held at least `holdMs`
   * (default the refresh interval), and through the caller's deadline.
   */
  async claimLookup(
    orderId: string,
    now: number,
    refreshMs: number,
    deadline: number,
    holdMs: number = refreshMs,
  ): Promise<boolean> {
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET refreshUntil = :until",
          ConditionExpression: all(EXISTS, UNCHECKED_SINCE_STALE, leaseFree("refreshUntil")),
          ExpressionAttributeValues: {
            // Held for the whole lookup and at least the refresh interval: whatever the
            // outcome (an answer, a failure, a message kept aside), no second lookup soon.
            ":until": Math.max(deadline, now + holdMs, now + LOOKUP_LEASE_MS),
            ":stale": now - refreshMs,
            ":now": now,
          },
        }),
      ),
    );
    return result.ok;
  }

  /** Gives the lookup lease back early (a lookup that ended without news about the order). */
  async releaseLookup(orderId: string): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "REMOVE refreshUntil",
          ConditionExpression: EXISTS,
        }),
      ),
    );
  }

  /**
   * The bank confirmed what we have: remember when, so polls need not ask again soon.
   * `open`: the order is still open (`open-orders.ts`), so it is (still) in the index
   * of open orders; this puts one stored before the index existed into it.
   */
  async markChecked(
    orderId: string,
    checkedAt: number,
    /** Still open: (re)joins the open index, sorted by its creation (an order stored before the index has no key yet). */
    open: { createdAt: string } | false = false,
  ): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: `SET lastBankCheckAt = :checked${open ? `, ${OPEN_ATTRIBUTE} = :openShard, createdKey = if_not_exists(createdKey, :createdKey)` : ""} REMOVE refreshUntil`,
          ConditionExpression: EXISTS,
          ExpressionAttributeValues: {
            ":checked": checkedAt,
            ...(open
              ? {
                  ":openShard": openShardOf(orderId),
                  ":createdKey": createdKeyOf(open.createdAt, orderId),
                }
              : {}),
          },
        }),
      ),
    );
  }
}
