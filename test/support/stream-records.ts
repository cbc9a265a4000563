import { marshall } from "@aws-sdk/util-dynamodb";
import type { OrderStreamRecord } from "../../lib/events/order-event.js";
import { orderEventOf } from "../../lib/events/order-event.js";
import type { StreamRecordWithId } from "../../lib/events/publish-order-events.js";

/**
 * Stored items of the orders table and the stream records DynamoDB makes of them, for
 * the tests of lib/events: an order, a card, an INSERT and a MODIFY record.
 */

export type Item = Record<string, unknown>;
export const ORDER_ID = "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab";
export const CARD_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

export const order = (fields: Item = {}): Item => ({
  pk: `order#${ORDER_ID}`,
  orderId: ORDER_ID,
  status: "created",
  version: 2,
  amount: 2500,
  currency: "GEL",
  updatedAt: "2026-11-26T20:00:00Z",
  history: [{ status: "pending" }, { status: "created" }],
  ...fields,
});
export const card = (fields: Item = {}): Item => ({
  pk: `card#${CARD_ID}`,
  cardId: CARD_ID,
  customerRef: "cust-42",
  type: "recurrent",
  cardMask: "548888***6849",
  cardType: "mc",
  expiry: "09/29",
  createdAt: "2026-11-28T11:11:44Z",
  ...fields,
});

const image = (item: Item) => marshall(item, { removeUndefinedValues: true });
export const insert = (item: Item, seq?: string): StreamRecordWithId => ({
  eventName: "INSERT",
  dynamodb: { NewImage: image(item), ...(seq ? { SequenceNumber: seq } : {}) },
});
export const modify = (oldItem: Item, newItem: Item, seq?: string): StreamRecordWithId => ({
  eventName: "MODIFY",
  dynamodb: {
    OldImage: image(oldItem),
    NewImage: image(newItem),
    ...(seq ? { SequenceNumber: seq } : {}),
  },
});
export const paid = order({
  status: "completed",
  version: 3,
  updatedAt: "2026-11-26T20:03:11Z",
  history: [{}, {}, {}],
});

export function eventOf(record: OrderStreamRecord) {
  const decision = orderEventOf(record);
  if (!("event" in decision)) throw new Error(`skipped: ${decision.skip}`);
  return decision.event;
}
