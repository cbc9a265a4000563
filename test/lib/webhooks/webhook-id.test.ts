import { describe, expect, it } from "vitest";
import { webhookIdOf } from "../../../lib/webhooks/webhook-id.js";

/** The webhook id: one per event, the same on every retry. */

describe("the webhook id", () => {
  it("names the event: an order's version, a card's event", () => {
    expect(webhookIdOf({ orderId: "o-1", version: 7 } as never)).toBe("order_o-1_v7");
    expect(webhookIdOf({ cardId: "c-1", event: "deleted" } as never)).toBe("card_c-1_deleted");
  });
});
