import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { eventBridgePublisher } from "../../../lib/events/eventbridge-publisher.js";
import {
  MalformedOrderRecordError,
  type OrderStreamRecord,
  orderEventOf,
} from "../../../lib/events/order-event.js";
import { publishOrderEvents } from "../../../lib/events/publish-order-events.js";
import { quietLogger } from "../../support/functions.js";

/** The rule that turns a committed change of the orders table into an order event, every branch. */

const ORDER_ID = "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab";

type Item = Record<string, unknown>;

const order = (fields: Item = {}): Item => ({
  pk: `order#${ORDER_ID}`,
  orderId: ORDER_ID,
  status: "created",
  version: 2,
  amount: 2500,
  currency: "GEL",
  reference: "shop-order-1042",
  updatedAt: "2026-11-26T20:00:00Z",
  history: [{ status: "pending" }, { status: "created" }],
  operations: {},
  ...fields,
});

const image = (item: Item) => marshall(item, { removeUndefinedValues: true });

function modify(oldItem: Item, newItem: Item): OrderStreamRecord {
  return { eventName: "MODIFY", dynamodb: { OldImage: image(oldItem), NewImage: image(newItem) } };
}

const paid = order({
  status: "completed",
  version: 3,
  paymentMethod: "card",
  updatedAt: "2026-11-26T20:03:11Z",
  history: [{ status: "pending" }, { status: "created" }, { status: "completed" }],
});

describe("order events: what is published", () => {
  it("a change of status: the contract's detail, money as decimal strings", () => {
    expect(orderEventOf(modify(order(), paid))).toEqual({
      event: {
        orderId: ORDER_ID,
        reference: "shop-order-1042",
        status: "completed",
        previousStatus: "created",
        amount: "25.00",
        currency: "GEL",
        capturedAmount: null,
        refundedAmount: null,
        paymentMethod: "card",
        rejectReason: null,
        occurredAt: "2026-11-26T20:03:11Z",
        version: 3,
      },
    });
  });

  it("the bank's order: pending → created is the shop's first event", () => {
    const pending = order({ status: "pending", version: 1, history: [{ status: "pending" }] });
    const decision = orderEventOf(modify(pending, order()));
    expect(decision).toMatchObject({
      event: {
        status: "created",
        previousStatus: "pending",
        version: 2,
        reference: "shop-order-1042",
      },
    });
  });

  it("a further partial refund (same status, the bank's new word): an event with the new refunded amount", () => {
    const once = order({
      status: "refunded_partially",
      version: 5,
      refundAmount: 500,
      history: [{}, {}, {}, {}],
    });
    const twice = { ...once, version: 6, refundAmount: 800, history: [{}, {}, {}, {}, {}] };
    expect(orderEventOf(modify(once, twice))).toMatchObject({
      event: {
        status: "refunded_partially",
        previousStatus: "refunded_partially",
        refundedAmount: "8.00",
        version: 6,
      },
    });
  });

  it.each(["completed", "rejected"])(
    "an operation's outcome (%s), with no change of status: an event with its version",
    (state) => {
      const op = { operationId: "op-1", kind: "capture", state: "requested" };
      const before = order({ status: "blocked", version: 4, operations: { "op-1": op } });
      const after = {
        ...before,
        version: 5,
        capturedAmount: state === "completed" ? 2000 : undefined,
        operations: { "op-1": { ...op, state } },
      };
      expect(orderEventOf(modify(before, after))).toMatchObject({
        event: {
          status: "blocked",
          previousStatus: "blocked",
          capturedAmount: state === "completed" ? "20.00" : null,
          version: 5,
        },
      });
    },
  );

  it("an operation made at the bank (Business Manager), settled at once: an outcome", () => {
    const before = order({
      status: "refunded",
      version: 4,
      refundAmount: 2500,
      history: [{}, {}, {}],
    });
    const after = {
      ...before,
      version: 5,
      operations: { x: { operationId: "x", kind: "refund", state: "completed" } },
    };
    expect(orderEventOf(modify(before, after))).toMatchObject({ event: { version: 5 } });
  });

  it("operations stored as a list (orders of an earlier version) are read too", () => {
    const op = { operationId: "op-1", kind: "void", state: "requested" };
    const before = order({ status: "blocked", version: 4, operations: [op] });
    const after = { ...before, version: 5, operations: [{ ...op, state: "rejected" }] };
    expect(orderEventOf(modify(before, after))).toMatchObject({ event: { version: 5 } });
  });

  it("an order inserted past pending (none is today): an event without a previous status", () => {
    const record: OrderStreamRecord = { eventName: "INSERT", dynamodb: { NewImage: image(paid) } };
    expect(orderEventOf(record)).toMatchObject({
      event: { status: "completed", previousStatus: null, version: 3 },
    });
  });

  it("an item without updatedAt: the time the stream recorded the change", () => {
    const { updatedAt: _, ...undated } = paid;
    const record = modify(order(), undated);
    record.dynamodb = { ...record.dynamodb, ApproximateCreationDateTime: 1_795_852_991 };
    expect(orderEventOf(record)).toMatchObject({ event: { occurredAt: "2026-11-28T08:03:11Z" } });
  });

  it("an order of an earlier version without a version: the first change is version 1 over 0", () => {
    const { version: _, ...old } = order();
    expect(orderEventOf(modify(old, { ...paid, version: 1 }))).toMatchObject({
      event: { version: 1, previousStatus: "created" },
    });
  });
});

describe("order events: what is not", () => {
  it("the first write of an order (pending, version 1): not yet at the bank", () => {
    const pending = order({ status: "pending", version: 1, history: [{}] });
    expect(orderEventOf({ eventName: "INSERT", dynamodb: { NewImage: image(pending) } })).toEqual({
      skip: "pending_created",
    });
  });

  it.each([
    ["a lease taken", { refreshUntil: 1_795_852_991_000 }],
    ["the bank's confirmation time", { lastBankCheckAt: 1_795_852_991_000 }],
    ["the history trimmed", { history: [{ status: "created" }] }],
    ["an anomaly kept aside", { anomalies: [{ reason: "other_merchant" }] }],
  ])("a write that changes no version (%s)", (_, fields) => {
    expect(orderEventOf(modify(paid, { ...paid, ...fields }))).toEqual({
      skip: "no_version_change",
    });
  });

  it("a lower version than the old image (never written; read defensively)", () => {
    expect(orderEventOf(modify(paid, { ...paid, version: 2 }))).toEqual({
      skip: "no_version_change",
    });
  });

  it("a refund being requested: a new version, but neither a status change nor an outcome", () => {
    const requested = {
      ...paid,
      version: 4,
      refundCommitted: 500,
      operations: { "op-1": { operationId: "op-1", kind: "refund", state: "requested" } },
    };
    expect(orderEventOf(modify(paid, requested))).toEqual({
      skip: "no_status_change_or_outcome",
    });
  });

  it("an outcome already known (settled again with the same state): no event", () => {
    const op = { operationId: "op-1", kind: "refund", state: "completed" };
    const before = { ...paid, version: 6, operations: { "op-1": op } };
    const after = { ...before, version: 7, operations: { "op-1": { ...op, updatedAt: "later" } } };
    expect(orderEventOf(modify(before, after))).toEqual({ skip: "no_status_change_or_outcome" });
  });

  it("a deletion (REMOVE), by anyone, TTL expiry included", () => {
    const ttl: OrderStreamRecord & { userIdentity: unknown } = {
      eventName: "REMOVE",
      userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" },
      dynamodb: { OldImage: image(paid) },
    };
    expect(orderEventOf(ttl)).toEqual({ skip: "removed" });
    expect(orderEventOf({ eventName: "REMOVE", dynamodb: {} })).toEqual({ skip: "removed" });
    expect(orderEventOf({})).toEqual({ skip: "removed" });
  });

  it("items that are not orders: an Idempotency-Key claim, an operation key, an order without version", () => {
    const claims = [
      { pk: "idem#4f0c1c5e-2b1a-4c3d-8e9f-0123456789ab", orderId: ORDER_ID, requestHash: "h" },
      { pk: "opkey#x", orderId: ORDER_ID, operationId: "op-1", version: 3 },
      { ...paid, version: undefined },
    ];
    for (const item of claims)
      expect(orderEventOf({ eventName: "INSERT", dynamodb: { NewImage: image(item) } })).toEqual({
        skip: "not_an_order",
      });
  });
});

describe("order events: a record that cannot be read is a poison record", () => {
  it.each([
    ["no status", { status: undefined }],
    ["no amount", { amount: undefined }],
    ["a fractional amount", { amount: 25.5 }],
    ["a negative captured amount", { capturedAmount: -1 }],
    ["no currency", { currency: undefined }],
    ["no order id", { orderId: undefined }],
    ["a version that is text", { version: "3" }],
    ["a reference that is not text", { reference: 42 }],
  ])("%s: an error to retry and dead-letter, never an event with holes", (_, fields) => {
    expect(() => orderEventOf(modify(order(), { ...paid, ...fields }))).toThrow(
      MalformedOrderRecordError,
    );
  });

  it("no time at all", () => {
    const { updatedAt: _, ...undated } = paid;
    expect(() => orderEventOf(modify(order(), undated))).toThrow("the change has no time");
  });
});

describe("publishing a batch", () => {
  const records = [
    {
      ...modify(order(), paid),
      dynamodb: { ...modify(order(), paid).dynamodb, SequenceNumber: "1" },
    },
    {
      eventName: "MODIFY",
      dynamodb: {
        SequenceNumber: "2",
        OldImage: image(paid),
        NewImage: image({ ...paid, status: undefined, version: 4 }),
      },
    },
    { eventName: "REMOVE", dynamodb: { SequenceNumber: "3", OldImage: image(paid) } },
    {
      eventName: "MODIFY",
      dynamodb: {
        SequenceNumber: "4",
        OldImage: image(paid),
        NewImage: image({
          ...paid,
          status: "refunded",
          version: 4,
          refundAmount: 2500,
          history: [{}, {}, {}, {}],
        }),
      },
    },
  ];

  it("events in order; the poison record and the entries the bus refused are answered failed", async () => {
    const published: string[] = [];
    const failed = await publishOrderEvents(records, {
      log: quietLogger(),
      publish: async (entries) => {
        published.push(
          ...entries.map((e) => `${e.recordId}:${"status" in e.detail ? e.detail.status : "-"}`),
        );
        return entries.map((e) => (e.recordId === "4" ? "ThrottlingException" : null));
      },
    });
    expect(published).toEqual(["1:completed", "4:refunded"]);
    expect(failed).toEqual(["2", "4"]);
  });

  it("a bus that throws fails every event of the batch, and nothing else", async () => {
    const failed = await publishOrderEvents([records[0], records[2]] as typeof records, {
      log: quietLogger(),
      publish: async () => {
        throw new Error("down");
      },
    });
    expect(failed).toEqual(["1"]);
  });

  it("PutEvents: ten entries a request, the bus's refusals per entry, a failed request fails its ten", async () => {
    const requests: Array<Array<Record<string, unknown>>> = [];
    const client = {
      send: async (command: { input: { Entries?: Array<Record<string, unknown>> } }) => {
        const entries = command.input.Entries ?? [];
        requests.push(entries);
        if (requests.length === 2)
          throw Object.assign(new Error("x"), { name: "InternalException" });
        return {
          Entries: entries.map((_, i) =>
            i === 3 ? { ErrorCode: "ThrottlingException" } : { EventId: `e${i}` },
          ),
        };
      },
    };
    const detail = orderEventOf(modify(order(), paid));
    if (!("event" in detail)) throw new Error("no event");
    const entries = Array.from({ length: 23 }, (_, i) => ({
      recordId: String(i),
      detail: { ...detail.event, version: i },
    }));
    const answers = await eventBridgePublisher(client as never, "bus")(entries);
    expect(requests.map((r) => r.length)).toEqual([10, 10, 3]);
    expect(requests[0]?.[0]).toEqual({
      EventBusName: "bus",
      Source: "bog-payments",
      DetailType: "Order Status Changed",
      Detail: JSON.stringify({ ...detail.event, version: 0 }),
      Time: new Date("2026-11-26T20:03:11Z"),
    });
    expect(answers).toHaveLength(23);
    expect(answers.map((a, i) => (a === null ? null : `${i}:${a}`)).filter(Boolean)).toEqual([
      "3:ThrottlingException",
      ...Array.from({ length: 10 }, (_, i) => `${10 + i}:InternalException`),
    ]);
  });
});
