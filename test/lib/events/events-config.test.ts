import { describe, expect, it } from "vitest";
import { readOrderEventsConfig } from "../../../lib/events/events-config.js";

/** The order-events function's bus setting, read at cold start. */

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
