import { describe, expect, it } from "vitest";
import { cardEventOf } from "../../../lib/events/card-event.js";
import { eventBridgePublisher } from "../../../lib/events/eventbridge-publisher.js";
import { card, eventOf, insert, modify, order, paid } from "../../support/stream-records.js";

/** PutEvents: how a batch is split and what its answers mean. */

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
