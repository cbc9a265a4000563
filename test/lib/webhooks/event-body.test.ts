import { describe, expect, it } from "vitest";
import { eventOfBody } from "../../../lib/webhooks/event-body.js";

/**
 * What a delivery queue's message holds: the event, or EventBridge's own dead letter
 * around it.
 */

describe("what a queue's message holds", () => {
  const order = { orderId: "o-1", version: 3, status: "completed" };
  const card = { cardId: "c-1", event: "saved" };
  it("an order or a card event, as the rule put it, or inside an event EventBridge dead-lettered", () => {
    expect(eventOfBody(JSON.stringify(order))).toEqual(order);
    expect(eventOfBody(JSON.stringify(card))).toEqual(card);
    expect(eventOfBody(JSON.stringify({ ...card, event: "deleted" }))).toEqual({
      ...card,
      event: "deleted",
    });
    expect(eventOfBody(JSON.stringify({ source: "bog-payments", detail: order }))).toEqual(order);
  });
  it("anything else is no event: not JSON, not an object, not ours, or missing what names it", () => {
    for (const body of [
      "{not json",
      "null",
      "42",
      '"o-1"',
      "[]",
      JSON.stringify({ source: "someone-else", detail: order }),
      JSON.stringify({ source: "bog-payments", detail: null }),
      JSON.stringify({ ...order, orderId: 1 }),
      JSON.stringify({ ...order, version: "3" }),
      JSON.stringify({ ...order, version: 3.5 }),
      JSON.stringify({ ...card, cardId: 7 }),
      JSON.stringify({ ...card, event: "charged" }),
      JSON.stringify({ orderId: "o-1" }),
    ])
      expect(eventOfBody(body)).toBeNull();
  });
});
