import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isoSeconds } from "../../iso-time.js";
import type { Order } from "../model/order.js";
import { statusChange } from "../model/order-history.js";
import { statusRank } from "../model/status-rank.js";
import { conditional, OPEN_ATTRIBUTE, orderFromItem, orderKey } from "../storage/order-item.js";

/**
 * A `pending` order that never got a bank order (the bank call failed, or its answer
 * was lost and nobody retried) cannot be asked about: the bank knows it only by its
 * own id. Once its ttl has passed, with a grace for a bank order the lost answer may
 * have made (its ttl was rounded up to the minute, and a payment under way on the
 * bank's page may finish just after), it is `rejected` with `rejectReason:
 * "expiration"`, as the bank itself would have done.
 *
 * One conditional write, only while the order is still `pending`, still has no bank
 * order, and no create-order call is in flight (`bankCallUntil`, the lease a
 * create-order retry holds while it calls the bank): a retry that holds the lease
 * wins, and its bank order is recorded; a retry after the expiry is refused by
 * create-order itself (the ttl has run out), so no bank order is made for an
 * expired order.
 */

/** How long past its ttl a pending order without a bank order waits before it is expired. */
export const EXPIRY_GRACE_MS = 5 * 60_000;

export async function expirePending(
  doc: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
  now: number,
): Promise<Order | null> {
  const at = isoSeconds(now);
  const change = statusChange(orderId, "rejected", "reconcile", at);
  const result = await conditional(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: orderKey(orderId),
        UpdateExpression: `SET #status = :rejected, statusRank = :rejectedRank, rejectReason = :expiration, updatedAt = :at, ${change.set} REMOVE ${OPEN_ATTRIBUTE}, bankCallUntil`,
        ConditionExpression:
          "attribute_exists(pk) AND statusRank = :pendingRank AND attribute_not_exists(bankOrderId) AND (attribute_not_exists(bankCallUntil) OR bankCallUntil < :now) AND expiresAt < :expiredBefore AND (attribute_not_exists(walletType) OR walletType <> :googlePay OR begins_with(bankError, :refused)) AND (attribute_not_exists(cardCharge) OR cardCharge.#chargeType <> :subscription OR begins_with(bankError, :refused))",
        ExpressionAttributeNames: { "#status": "status", "#chargeType": "type" },
        ExpressionAttributeValues: {
          ":rejected": "rejected",
          ":rejectedRank": statusRank("rejected"),
          ":expiration": "expiration",
          ":at": at,
          ":pendingRank": statusRank("pending"),
          ":now": now,
          ":expiredBefore": isoSeconds(now - EXPIRY_GRACE_MS),
          ":googlePay": "google_pay",
          ":subscription": "subscription",
          ":refused": "rejected:",
          ...change.values,
        },
        ReturnValues: "ALL_NEW",
      }),
    ),
  );
  return result.ok ? orderFromItem(result.value.Attributes ?? {}) : null;
}

/** Whether an order (as read) is one `expirePending` may expire at `now`. */
export function isExpiredWithoutBankOrder(order: Order, now: number): boolean {
  return (
    order.status === "pending" &&
    order.bankOrderId === null &&
    Date.parse(order.expiresAt) < now - EXPIRY_GRACE_MS &&
    !mayHaveBeenCharged(order)
  );
}

/**
 * A Google Pay order, and an automatic charge of a saved `subscription` card, are paid
 * by the call that creates them: if that call's answer was lost (a timeout, a process
 * killed mid-call), the bank may have charged the customer, and only its word can say
 * so. Such an order is never expired here (a shop seeing `rejected` would charge
 * again); it stays open for the alarm (OpenOrderAge) and a person, and a retry with
 * its key resumes it. One the bank refused outright may go.
 */
function mayHaveBeenCharged(order: Order): boolean {
  const chargedOnCreate =
    order.walletType === "google_pay" || order.cardCharge?.type === "subscription";
  // Stryker disable next-line StringLiteral: with no bankError neither "" nor the mutant's text starts with "rejected:": may have been charged either way
  const bankError = order.bankError ?? "";
  return chargedOnCreate && !bankError.startsWith("rejected:");
}
