import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { busEventOf, detailTypeOf } from "../../../lib/events/bus-event.js";
import { cardEventOf } from "../../../lib/events/card-event.js";
import { eventBridgePublisher } from "../../../lib/events/eventbridge-publisher.js";
import {
  MalformedOrderRecordError,
  type OrderStreamRecord,
} from "../../../lib/events/order-event.js";
import { publishOrderEvents } from "../../../lib/events/publish-order-events.js";
import { passesOrderFilter } from "../../../local/order-stream.js";
import { quietLogger } from "../../support/functions.js";

/** The rule that turns a committed change of a card item into a card event, every branch. */

const CARD_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

type Item = Record<string, unknown>;

/** A card item as lib/cards/card-store.ts writes it. */
const card = (fields: Item = {}): Item => ({
  pk: `card#${CARD_ID}`,
  cardId: CARD_ID,
  customerRef: "cust-42",
  type: "subscription",
  cardMask: "548888***6849",
  cardType: "mc",
  expiry: "09/29",
  createdAt: "2026-11-28T11:11:44Z",
  parentBankOrderId: "cd3a44a3-98a7-4c5e-9f88-7b5155f3f31c",
  amount: 3000,
  currency: "GEL",
  cardCustomer: "cust-42",
  createdKey: `2026-11-28T11:11:44Z#${CARD_ID}`,
  ...fields,
});

const deleted = (() => {
  const { cardCustomer: _gone, ...rest } = card({ deletedAt: "2026-11-29T08:00:00Z" });
  return rest;
})();

const image = (item: Item) => marshall(item, { removeUndefinedValues: true });
const insert = (item: Item): OrderStreamRecord => ({
  eventName: "INSERT",
  dynamodb: { NewImage: image(item) },
});
const modify = (oldItem: Item, newItem: Item): OrderStreamRecord => ({
  eventName: "MODIFY",
  dynamodb: { OldImage: image(oldItem), NewImage: image(newItem) },
});

const SAVED = {
  event: "saved",
  cardId: CARD_ID,
  customerRef: "cust-42",
  type: "subscription",
  cardMask: "548888***6849",
  cardType: "mc",
  expiry: "09/29",
  occurredAt: "2026-11-28T11:11:44Z",
};

describe("card events: what is published", () => {
  it("the card's first write is Card Saved: whose it is and what the bank said, nothing else", () => {
    const decision = cardEventOf(insert(card()));
    expect(decision).toEqual({ event: SAVED });
    // Key order as documented; never the bank's order id or the first payment's amount.
    if (!("event" in decision)) throw new Error("no event");
    expect(Object.keys(decision.event)).toEqual(Object.keys(SAVED));
    expect(detailTypeOf(decision.event)).toBe("Card Saved");
  });

  it("what the bank did not say stays null", () => {
    const { cardMask: _m, cardType: _t, expiry: _e, ...bare } = card();
    expect(cardEventOf(insert(bare))).toEqual({
      event: { ...SAVED, cardMask: null, cardType: null, expiry: null },
    });
  });

  it("the write that marks it deleted is Card Deleted, at the time it was deleted", () => {
    const decision = cardEventOf(modify(card(), deleted));
    expect(decision).toEqual({
      event: { ...SAVED, event: "deleted", occurredAt: "2026-11-29T08:00:00Z" },
    });
    if (!("event" in decision)) throw new Error("no event");
    expect(detailTypeOf(decision.event)).toBe("Card Deleted");
  });

  it("nothing for another write of a card, a deleted card written again, or a removal", () => {
    expect(cardEventOf(modify(card(), card({ expiry: "10/29" })))).toEqual({
      skip: "not_a_card_change",
    });
    expect(cardEventOf(modify(deleted, deleted))).toEqual({ skip: "not_a_card_change" });
    expect(cardEventOf(insert(deleted))).toEqual({ skip: "not_a_card_change" });
    expect(cardEventOf({ eventName: "REMOVE", dynamodb: { OldImage: image(card()) } })).toEqual({
      skip: "not_a_card_change",
    });
  });

  it("a card item that cannot be read is a poison record", () => {
    expect(() => cardEventOf(insert(card({ type: "weekly" })))).toThrow(MalformedOrderRecordError);
    expect(() => cardEventOf(insert(card({ customerRef: 42 })))).toThrow(MalformedOrderRecordError);
  });

  it("the stream's rule goes by the item's key: card items to the card rule, orders to the order rule", () => {
    expect(busEventOf(insert(card()))).toEqual({ event: SAVED });
    // An Idempotency-Key claim is neither.
    expect(busEventOf(insert({ pk: "idem#x", orderId: "o" }))).toEqual({ skip: "not_an_order" });
  });
});

describe("card events on the bus", () => {
  it("published with their own detail-type, in the same batch as order events", async () => {
    const sent: Array<Record<string, unknown>> = [];
    const client = {
      send: async (command: { input: { Entries?: Array<Record<string, unknown>> } }) => {
        const entries = command.input.Entries ?? [];
        sent.push(...entries);
        return { Entries: entries.map((_, i) => ({ EventId: `e${i}` })) };
      },
    };
    const failed = await publishOrderEvents(
      [
        { ...insert(card()), dynamodb: { ...insert(card()).dynamodb, SequenceNumber: "1" } },
        {
          ...modify(card(), deleted),
          dynamodb: { ...modify(card(), deleted).dynamodb, SequenceNumber: "2" },
        },
      ],
      { publish: eventBridgePublisher(client as never, "bus"), log: quietLogger() },
    );
    expect(failed).toEqual([]);
    expect(sent).toEqual([
      {
        EventBusName: "bus",
        Source: "bog-payments",
        DetailType: "Card Saved",
        Detail: JSON.stringify(SAVED),
        Time: new Date("2026-11-28T11:11:44Z"),
      },
      {
        EventBusName: "bus",
        Source: "bog-payments",
        DetailType: "Card Deleted",
        Detail: JSON.stringify({ ...SAVED, event: "deleted", occurredAt: "2026-11-29T08:00:00Z" }),
        Time: new Date("2026-11-29T08:00:00Z"),
      },
    ]);
  });

  it("the local stream's filter keeps card items, as the event source mapping's does", () => {
    const lambda = (item: Item) =>
      ({ dynamodb: { NewImage: image(item) } }) as unknown as DynamoDBRecord;
    expect(passesOrderFilter(lambda(card()))).toBe(true);
    expect(passesOrderFilter(lambda(deleted))).toBe(true);
    expect(passesOrderFilter(lambda({ pk: "idem#x", orderId: "o" }))).toBe(false);
  });
});
