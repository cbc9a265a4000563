import { describe, expect, it } from "vitest";
import { cardEventOf } from "../../../lib/events/card-event.js";
import { card, insert, modify } from "../../support/stream-records.js";

/**
 * A card's change as an event: its fields at their edges (empty texts, nulls), as a
 * consumer of the events relies on them.
 */

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
