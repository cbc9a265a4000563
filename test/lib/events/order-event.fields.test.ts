import { describe, expect, it } from "vitest";
import { cardEventOf } from "../../../lib/events/card-event.js";
import { MalformedOrderRecordError, orderEventOf } from "../../../lib/events/order-event.js";
import { card, eventOf, insert, modify, order, paid } from "../../support/stream-records.js";

/**
 * An order's change as an event: its fields at their edges (empty texts and nulls, zero
 * amounts, versions at their bounds, the time of a change).
 */

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
