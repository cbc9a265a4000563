import type { BusEventDetail } from "../events/bus-event.js";
import { ORDER_EVENT_SOURCE } from "../events/order-event.js";

/**
 * An event as a queue holds it (the bus rule's input: the event's detail, as JSON; or,
 * in a message EventBridge itself dead-lettered, the whole event with the detail in it),
 * read back; null when it is not one of ours (nothing to sign a delivery of).
 */
export function eventOfBody(body: string): BusEventDetail | null {
  // Stryker disable BlockStatement: text that is not JSON leaves no value, which is no event either
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  // Stryker restore BlockStatement
  // Object(): null, numbers and strings become objects without our fields.
  const envelope = Object(value) as Record<string, unknown>;
  const fields = Object(envelope.source === ORDER_EVENT_SOURCE ? envelope.detail : value) as Record<
    string,
    unknown
  >;
  const isOrder = typeof fields.orderId === "string" && Number.isSafeInteger(fields.version);
  const isCard =
    typeof fields.cardId === "string" && (fields.event === "saved" || fields.event === "deleted");
  return isOrder || isCard ? (fields as unknown as BusEventDetail) : null;
}
