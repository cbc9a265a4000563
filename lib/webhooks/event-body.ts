import type { BusEventDetail } from "../events/bus-event.js";

/**
 * An event as a queue holds it (the bus rule's input: the event's detail, as JSON; or,
 * in a message EventBridge itself dead-lettered, the whole event with the detail in it),
 * read back; null when it is not one of ours (nothing to sign a delivery of).
 */
export function eventOfBody(body: string): BusEventDetail | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const envelope = value as Record<string, unknown>;
  if (envelope.source === "bog-payments" && typeof envelope.detail === "object")
    value = envelope.detail;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const fields = value as Record<string, unknown>;
  const isOrder = typeof fields.orderId === "string" && Number.isSafeInteger(fields.version);
  const isCard =
    typeof fields.cardId === "string" && (fields.event === "saved" || fields.event === "deleted");
  return isOrder || isCard ? (value as BusEventDetail) : null;
}
