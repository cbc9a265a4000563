import { describe, expect, it } from "vitest";
import { eventBridgePublisher } from "../../../lib/events/eventbridge-publisher.js";
import { exampleOrderEvent } from "../../support/example-events.js";

/** PutEvents entries the bus did not answer are sent again, never taken as published. */

describe("PutEvents answers", () => {
  const detail = exampleOrderEvent({ orderId: "o-1", reference: null });

  it("an entry the bus gave no answer for (no EventId) is not published: it is retried", async () => {
    const client = {
      // One answer for two entries, and an answer without an EventId.
      send: async () => ({ Entries: [{}] }),
    };
    const answers = await eventBridgePublisher(
      client as never,
      "bus",
    )([
      { recordId: "1", detail },
      { recordId: "2", detail: { ...detail, version: 4 } },
    ]);
    expect(answers.every((a) => a !== null)).toBe(true);
  });
});
