import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Order } from "../model/order.js";
import { statusRank } from "../model/status-rank.js";
import { all, conditional, leaseFree, orderFromItem, orderKey } from "./order-item.js";

/**
 * The right to send an Apple Pay order's token to the bank: one request at a time
 * per order (a double tap on the Apple Pay sheet, a retry while the first is still
 * waiting), and none once the order has moved past `created`.
 */
export class WalletPaymentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Takes the right until `until` (epoch ms); otherwise answers the order as it is. */
  async claim(
    orderId: string,
    now: number,
    until: number,
  ): Promise<{ claimed: true; order: Order } | { claimed: false; order: Order | null }> {
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET walletPayUntil = :until",
          ConditionExpression: all(
            "walletType = :apple",
            "attribute_exists(bankOrderId)",
            "statusRank <= :created",
            leaseFree("walletPayUntil"),
          ),
          ExpressionAttributeValues: {
            ":until": until,
            ":now": now,
            ":apple": "apple_pay",
            ":created": statusRank("created"),
          },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    );
    if (result.ok) return { claimed: true, order: orderFromItem(result.value.Attributes ?? {}) };
    return { claimed: false, order: result.old ? orderFromItem(result.old) : null };
  }

  /**
   * Gives the right back after the bank failed, so that the customer may try again at
   * once, and marks the order: the bank may have taken that payment all the same, so
   * the next send asks the bank first (`walletPayUnsure`).
   */
  async release(orderId: string, until: number): Promise<void> {
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(orderId),
          UpdateExpression: "SET walletPayUnsure = :unsure REMOVE walletPayUntil",
          ConditionExpression: "walletPayUntil = :until",
          ExpressionAttributeValues: { ":until": until, ":unsure": true },
        }),
      ),
    );
  }
}
