import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { isoSeconds } from "../iso-time.js";
import { formatAmount } from "../money.js";

/**
 * The rule that turns one committed change of the orders table (a record of its
 * stream, old and new item) into the order event the shop sees (docs/events-and-webhooks.md), or
 * into nothing. Pure: the same record always gives the same answer, so a record
 * read twice gives the same event twice, which `(orderId, version)` names.
 *
 * An event is published for
 * - every change of status (`created` when the bank has the order, `completed`,
 *   `rejected`, `refunded`, …), and a new word of the bank on the same status (a
 *   further partial refund): each of these writes adds a history entry;
 * - every operation's outcome: a refund, capture or void becoming `completed` or
 *   `rejected`.
 *
 * Not published:
 * - the order's first write, `pending` (version 1): ours, not yet at the bank; the
 *   shop hears of the order first as `created` (version 2), with
 *   `previousStatus: "pending"`. A `pending` order the bank never took becomes
 *   `rejected`, and that is published;
 * - a refund, capture or void being requested: the shop asked for it and had its
 *   answer (202); its outcome is the event. Its version is skipped, like version 1;
 * - writes that change no version (leases, the bank's confirmation time, the
 *   history trimmed), items that are not orders (Idempotency-Key claims) and
 *   deletions (REMOVE, including TTL expiry: an order is never deleted by a rule).
 */

export const ORDER_EVENT_SOURCE = "bog-payments";
export const ORDER_EVENT_DETAIL_TYPE = "Order Status Changed";

/** The event's detail, exactly as docs/events-and-webhooks.md shows it: amounts as decimal strings. */
export interface OrderEventDetail {
  orderId: string;
  reference: string | null;
  status: string;
  previousStatus: string | null;
  amount: string;
  currency: string;
  capturedAmount: string | null;
  refundedAmount: string | null;
  paymentMethod: string | null;
  rejectReason: string | null;
  /** ISO 8601, UTC, seconds: when the change was written. */
  occurredAt: string;
  version: number;
}

/**
 * What the rule reads of a stream record: the shape Lambda's DynamoDB stream event
 * and the DynamoDB Streams API share. Images are DynamoDB JSON (`{"S": "…"}`).
 */
export interface OrderStreamRecord {
  eventName?: string;
  dynamodb?: {
    /** Epoch seconds. */
    ApproximateCreationDateTime?: number;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
  };
}

export type SkipReason =
  | "removed"
  | "not_an_order"
  | "pending_created"
  | "no_version_change"
  | "no_status_change_or_outcome";

export type OrderEventDecision = { event: OrderEventDetail } | { skip: SkipReason };

/** A record with a version whose order cannot be read: a poison record (retried, then dead-lettered). */
export class MalformedOrderRecordError extends Error {
  override readonly name = "MalformedOrderRecordError";
}

const ORDER_KEY_PREFIX = "order#";
const OUTCOMES: ReadonlySet<unknown> = new Set(["completed", "rejected"]);

type Item = Record<string, unknown>;

function itemOf(image: Record<string, unknown> | undefined): Item | undefined {
  // Both callers' attribute value types are DynamoDB JSON; unmarshall reads them alike.
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

function isOrder(item: Item | undefined): item is Item {
  return (
    item !== undefined &&
    typeof item.pk === "string" &&
    item.pk.startsWith(ORDER_KEY_PREFIX) &&
    item.version !== undefined
  );
}

function text(item: Item, field: string): string {
  const value = item[field];
  if (typeof value !== "string" || value === "")
    throw new MalformedOrderRecordError(`the order's ${field} is not a text`);
  return value;
}

function textOrNull(item: Item, field: string): string | null {
  const value = item[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string")
    throw new MalformedOrderRecordError(`the order's ${field} is not a text`);
  return value;
}

function amountOrNull(item: Item, field: string): string | null {
  const value = item[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new MalformedOrderRecordError(`the order's ${field} is not an amount in minor units`);
  return formatAmount(value);
}

function versionOf(item: Item | undefined): number {
  const value = item?.version;
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    throw new MalformedOrderRecordError("the order's version is not a whole number");
  return value;
}

const historyLength = (item: Item | undefined) =>
  Array.isArray(item?.history) ? item.history.length : 0;

/** The operations' states by id (stored as a map by id; as a list by earlier versions). */
function operationStates(item: Item | undefined): Map<string, unknown> {
  const stored = item?.operations;
  const list: unknown[] = Array.isArray(stored)
    ? stored
    : typeof stored === "object" && stored !== null
      ? Object.values(stored)
      : // Stryker disable next-line ArrayDeclaration: the loop keeps only objects with operationId and state: a string entry is skipped, so no operation is read either way
        [];
  const states = new Map<string, unknown>();
  for (const op of list) {
    if (typeof op === "object" && op !== null && "operationId" in op && "state" in op)
      states.set(String(op.operationId), op.state);
  }
  return states;
}

/** An operation that is completed or rejected in the new item and was not before. */
function operationSettled(oldItem: Item | undefined, newItem: Item): boolean {
  const before = operationStates(oldItem);
  for (const [id, state] of operationStates(newItem)) {
    if (OUTCOMES.has(state) && before.get(id) !== state) return true;
  }
  return false;
}

function occurredAt(item: Item, record: OrderStreamRecord): string {
  const updatedAt = item.updatedAt;
  if (typeof updatedAt === "string" && updatedAt !== "") return updatedAt;
  const approximate = record.dynamodb?.ApproximateCreationDateTime;
  if (typeof approximate === "number") return isoSeconds(approximate * 1000);
  throw new MalformedOrderRecordError("the change has no time");
}

/** The event of one committed change, or why there is none. */
export function orderEventOf(record: OrderStreamRecord): OrderEventDecision {
  if (record.eventName === "REMOVE" || !record.dynamodb?.NewImage) return { skip: "removed" };
  const newItem = itemOf(record.dynamodb.NewImage);
  if (!isOrder(newItem)) return { skip: "not_an_order" };
  const oldItem = itemOf(record.dynamodb.OldImage);
  const status = text(newItem, "status");
  const version = versionOf(newItem);
  if (!oldItem) {
    if (status === "pending") return { skip: "pending_created" };
  } else {
    if (version <= versionOf(oldItem)) return { skip: "no_version_change" };
    const changed =
      oldItem.status !== status ||
      historyLength(newItem) > historyLength(oldItem) ||
      operationSettled(oldItem, newItem);
    if (!changed) return { skip: "no_status_change_or_outcome" };
  }
  return {
    event: {
      orderId: text(newItem, "orderId"),
      reference: textOrNull(newItem, "reference"),
      status,
      previousStatus: oldItem ? textOrNull(oldItem, "status") : null,
      amount: amountOrNull(newItem, "amount") ?? missing("amount"),
      currency: text(newItem, "currency"),
      capturedAmount: amountOrNull(newItem, "capturedAmount"),
      refundedAmount: amountOrNull(newItem, "refundAmount"),
      paymentMethod: textOrNull(newItem, "paymentMethod"),
      rejectReason: textOrNull(newItem, "rejectReason"),
      occurredAt: occurredAt(newItem, record),
      version,
    },
  };
}

function missing(field: string): never {
  throw new MalformedOrderRecordError(`the order has no ${field}`);
}
