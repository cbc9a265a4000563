import { Logger } from "@aws-lambda-powertools/logger";
import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { cardEventOf } from "../../lib/events/card-event.js";
import { eventBridgePublisher } from "../../lib/events/eventbridge-publisher.js";
import { readOrderEventsConfig } from "../../lib/events/events-config.js";
import {
  MalformedOrderRecordError,
  type OrderStreamRecord,
  orderEventOf,
} from "../../lib/events/order-event.js";
import {
  type OrderEventPublisher,
  publishOrderEvents,
  type StreamRecordWithId,
} from "../../lib/events/publish-order-events.js";
import { captureOutput } from "../support/stdout-capture.js";

/**
 * The edges of the stream's rules (lib/events): empty texts and nulls in a stored
 * item, zero amounts, versions at their bounds, the time of a change, what a batch
 * logs, how PutEvents is split and what its answers mean, and the function's bus
 * setting. Each states what a consumer of the events (or an operator reading the
 * logs) relies on.
 */

type Item = Record<string, unknown>;
const ORDER_ID = "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab";
const CARD_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

const order = (fields: Item = {}): Item => ({
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
const card = (fields: Item = {}): Item => ({
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
const insert = (item: Item, seq?: string): StreamRecordWithId => ({
  eventName: "INSERT",
  dynamodb: { NewImage: image(item), ...(seq ? { SequenceNumber: seq } : {}) },
});
const modify = (oldItem: Item, newItem: Item, seq?: string): StreamRecordWithId => ({
  eventName: "MODIFY",
  dynamodb: {
    OldImage: image(oldItem),
    NewImage: image(newItem),
    ...(seq ? { SequenceNumber: seq } : {}),
  },
});
const paid = order({
  status: "completed",
  version: 3,
  updatedAt: "2026-11-26T20:03:11Z",
  history: [{}, {}, {}],
});

function eventOf(record: OrderStreamRecord) {
  const decision = orderEventOf(record);
  if (!("event" in decision)) throw new Error(`skipped: ${decision.skip}`);
  return decision.event;
}

describe("an order's change: its fields at their edges", () => {
  it("a poison record is a MalformedOrderRecordError by name (the dead-letter queue's readers see it)", () => {
    const error = (() => {
      try {
        orderEventOf(modify(order(), { ...paid, status: 3 }));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MalformedOrderRecordError);
    expect((error as Error).name).toBe("MalformedOrderRecordError");
  });

  it.each([
    ["an empty status", { status: "" }, "the order's status is not a text"],
    ["an empty order id", { orderId: "" }, "the order's orderId is not a text"],
    ["a numeric currency", { currency: 981 }, "the order's currency is not a text"],
    ["a reference that is a number", { reference: 42 }, "the order's reference is not a text"],
    [
      "a negative refunded amount",
      { refundAmount: -1 },
      "the order's refundAmount is not an amount in minor units",
    ],
    ["no amount", { amount: undefined }, "the order has no amount"],
    ["a version below zero", { version: -1 }, "the order's version is not a whole number"],
  ])("%s: the error says which field", (_, fields, message) => {
    expect(() => orderEventOf(modify(order(), { ...paid, ...fields }))).toThrow(message);
  });

  it("zero is an amount (a refund of nothing yet, nothing captured): '0.00', not an error", () => {
    const event = eventOf(modify(order(), { ...paid, capturedAmount: 0, refundAmount: 0 }));
    expect(event).toMatchObject({ capturedAmount: "0.00", refundedAmount: "0.00" });
  });

  it("version 0 (an order of the first release, written once) is a version", () => {
    const first = order({ status: "created", version: 0 });
    expect(eventOf(insert(first)).version).toBe(0);
    expect(eventOf(modify(first, { ...paid, version: 1 })).version).toBe(1);
  });

  it("a null reference or payment method is null, as absent", () => {
    const event = eventOf(modify(order(), { ...paid, reference: null, paymentMethod: null }));
    expect(event).toMatchObject({ reference: null, paymentMethod: null });
  });

  it("a change of status that adds no history entry (a trimmed history) is still an event", () => {
    const before = order({ history: [{}, {}] });
    const after = { ...before, status: "completed", version: 3 };
    expect(eventOf(modify(before, after))).toMatchObject({
      status: "completed",
      previousStatus: "created",
    });
  });

  it("an empty updatedAt: the time the stream recorded the change", () => {
    const record = modify(order(), { ...paid, updatedAt: "" });
    const stamped = {
      ...record,
      dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: 1_795_000_000 },
    };
    expect(eventOf(stamped).occurredAt).toBe(
      `${new Date(1_795_000_000_000).toISOString().slice(0, 19)}Z`,
    );
  });

  it("a removal is never an event, whatever images the record carries", () => {
    const removal = { ...modify(order(), paid), eventName: "REMOVE" };
    expect(orderEventOf(removal)).toEqual({ skip: "removed" });
    expect(cardEventOf({ ...insert(card()), eventName: "REMOVE" })).toEqual({
      skip: "not_a_card_change",
    });
  });
});

describe("a card's change: its fields at their edges", () => {
  it("an empty card id or customer: the error names the field", () => {
    expect(() => cardEventOf(insert(card({ cardId: "" })))).toThrow(
      "the card's cardId is not a text",
    );
    expect(() => cardEventOf(insert(card({ customerRef: "" })))).toThrow(
      "the card's customerRef is not a text",
    );
    expect(() => cardEventOf(insert(card({ cardMask: 548888 })))).toThrow(
      "the card's cardMask is not a text",
    );
    expect(() => cardEventOf(insert(card({ type: "one-off" })))).toThrow(
      "the card's type is not recurrent or subscription",
    );
  });

  it("what the bank stored as null is null in the event", () => {
    const decision = cardEventOf(insert(card({ cardMask: null, cardType: null, expiry: null })));
    expect(decision).toMatchObject({ event: { cardMask: null, cardType: null, expiry: null } });
  });

  it("deletedAt stored as null is not a deletion: the first write is Card Saved", () => {
    expect(cardEventOf(insert(card({ deletedAt: null })))).toMatchObject({
      event: { event: "saved" },
    });
    expect(
      cardEventOf(modify(card({ deletedAt: null }), card({ deletedAt: "2026-11-29T08:00:00Z" }))),
    ).toMatchObject({ event: { event: "deleted", occurredAt: "2026-11-29T08:00:00Z" } });
  });
});

describe("a batch: what it logs and publishes", () => {
  const output = captureOutput({ echo: false });
  const log = () => new Logger({ serviceName: "test", logLevel: "DEBUG" });
  const lines = (message: string) => output.logLines().filter((l) => l.message === message);

  const completed = modify(order(), paid, "11");
  const cardSaved = insert(card(), "12");
  const unchanged = modify(paid, { ...paid, version: 4 }, "13");
  const poison = modify(order(), { ...paid, status: "" }, "14");

  it("published: one INFO line per event, naming it (an order by id, version and statuses; a card by id and event, no card data)", async () => {
    const failed = await publishOrderEvents([completed, cardSaved], {
      log: log(),
      publish: async (entries) => entries.map(() => null),
    });
    expect(failed).toEqual([]);
    const published = lines("event published");
    expect(published).toHaveLength(2);
    expect(published[0]).toMatchObject({
      orderId: ORDER_ID,
      version: 3,
      status: "completed",
      previousStatus: "created",
    });
    expect(published[1]).toMatchObject({ cardId: CARD_ID, event: "saved" });
    expect(published[1]).not.toHaveProperty("cardMask");
    expect(published[1]).not.toHaveProperty("customerRef");
  });

  it("refused: a WARN line with the event, its record and the bus's reason; an entry the bus did not answer says so", async () => {
    const failed = await publishOrderEvents([completed, cardSaved], {
      log: log(),
      publish: async () => ["ThrottlingException"],
    });
    expect(failed).toEqual(["11", "12"]);
    const warned = lines("event not published; retried");
    expect(warned).toEqual([
      expect.objectContaining({
        orderId: ORDER_ID,
        version: 3,
        recordId: "11",
        problem: "ThrottlingException",
        level: "WARN",
      }),
      expect.objectContaining({
        cardId: CARD_ID,
        recordId: "12",
        problem: "no answer for this entry",
      }),
    ]);
  });

  it("a publisher that throws: every entry's WARN names the error (or 'publish failed' for a thrown non-error)", async () => {
    await publishOrderEvents([completed], {
      log: log(),
      publish: async () => {
        throw Object.assign(new Error("x"), { name: "InternalException" });
      },
    });
    expect(lines("event not published; retried")[0]).toMatchObject({
      problem: "InternalException",
    });
    output.clear();
    const throwsText: OrderEventPublisher = () => Promise.reject("down");
    await publishOrderEvents([completed], { log: log(), publish: throwsText });
    expect(lines("event not published; retried")[0]).toMatchObject({ problem: "publish failed" });
  });

  it("a record that cannot be read: an ERROR line with its record, its kind and why; a record without a sequence number is named by its place", async () => {
    const { SequenceNumber: _, ...unnumbered } = poison.dynamodb ?? {};
    const failed = await publishOrderEvents([completed, { ...poison, dynamodb: unnumbered }], {
      log: log(),
      publish: async (entries) => entries.map(() => null),
    });
    expect(failed).toEqual(["#1"]);
    expect(lines("event: a stream record could not be read; retried, then dead-lettered")).toEqual([
      expect.objectContaining({
        level: "ERROR",
        recordId: "#1",
        eventName: "MODIFY",
        error: "the order's status is not a text",
      }),
    ]);
  });

  it("a batch with nothing to publish asks the bus nothing; the DEBUG line counts records, events, skips and failures", async () => {
    let asked = 0;
    const failed = await publishOrderEvents([unchanged, unchanged, poison], {
      log: log(),
      publish: async (entries) => {
        asked += 1;
        return entries.map(() => null);
      },
    });
    expect(asked).toBe(0);
    expect(failed).toEqual(["14"]);
    expect(lines("events batch")).toEqual([
      expect.objectContaining({ records: 3, events: 0, skipped: 2, failed: 1 }),
    ]);
  });
});

describe("PutEvents", () => {
  const detail = eventOf(modify(order(), paid));
  const entries = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      recordId: String(i),
      detail: { ...detail, version: i },
    }));

  function bus(answer: (entries: Array<Record<string, unknown>>) => unknown) {
    const requests: Array<Array<Record<string, unknown>>> = [];
    const client = {
      send: async (command: { input: { Entries?: Array<Record<string, unknown>> } }) => {
        const sent = command.input.Entries ?? [];
        requests.push(sent);
        return answer(sent);
      },
    };
    return { requests, client: client as never };
  }

  it("exactly ten or twenty entries: one or two full requests, never an empty one", async () => {
    for (const n of [10, 20]) {
      const { requests, client } = bus((sent) => ({ Entries: sent.map(() => ({ EventId: "e" })) }));
      const answers = await eventBridgePublisher(client, "bus")(entries(n));
      expect(requests.map((r) => r.length)).toEqual(n === 10 ? [10] : [10, 10]);
      expect(answers).toEqual(Array(n).fill(null));
    }
  });

  it("a card event goes out as Card Saved", async () => {
    const saved = cardEventOf(insert(card()));
    if (!("event" in saved)) throw new Error("no card event");
    const { requests, client } = bus((sent) => ({ Entries: sent.map(() => ({ EventId: "e" })) }));
    await eventBridgePublisher(client, "bus")([{ recordId: "1", detail: saved.event }]);
    expect(requests[0]?.[0]).toMatchObject({ DetailType: "Card Saved" });
  });

  it("an entry answered with neither an event id nor an error code failed ('no event id'); a thrown non-error is 'PutEvents failed'", async () => {
    const { client } = bus(() => ({ Entries: [{}] }));
    expect(await eventBridgePublisher(client, "bus")(entries(1))).toEqual(["no event id"]);
    const { client: throwing } = bus(() => Promise.reject("down"));
    expect(await eventBridgePublisher(throwing, "bus")(entries(2))).toEqual([
      "PutEvents failed",
      "PutEvents failed",
    ]);
  });
});

describe("the order-events function's bus setting", () => {
  it("a bus name or ARN, trimmed", () => {
    expect(readOrderEventsConfig({ ORDER_EVENT_BUS_NAME: " payments-bus \n" })).toEqual({
      eventBusName: "payments-bus",
    });
    const arn = "arn:aws:events:eu-central-1:123456789012:event-bus/payments-bus";
    expect(readOrderEventsConfig({ ORDER_EVENT_BUS_NAME: arn }).eventBusName).toBe(arn);
    const longest = "b".repeat(1600);
    expect(readOrderEventsConfig({ ORDER_EVENT_BUS_NAME: longest }).eventBusName).toBe(longest);
  });

  it.each([
    ["absent", undefined, "ORDER_EVENT_BUS_NAME is required"],
    ["blank", "   ", "ORDER_EVENT_BUS_NAME is required"],
    [
      "with a space inside",
      "payments bus",
      "ORDER_EVENT_BUS_NAME must be an event bus name or ARN",
    ],
    [
      "a character before a valid name",
      "!bus",
      "ORDER_EVENT_BUS_NAME must be an event bus name or ARN",
    ],
    [
      "a character after a valid name",
      "bus!",
      "ORDER_EVENT_BUS_NAME must be an event bus name or ARN",
    ],
    [
      "over 1600 characters",
      "b".repeat(1601),
      "ORDER_EVENT_BUS_NAME must be an event bus name or ARN",
    ],
  ])("%s: refused at cold start, naming the setting", (_, value, message) => {
    expect(() => readOrderEventsConfig({ ORDER_EVENT_BUS_NAME: value })).toThrow(message);
  });
});
