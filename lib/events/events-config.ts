import type { Env } from "../config.js";
import { ConfigError } from "../errors.js";

/** The order-events function's settings: the bus it publishes to. */
export interface OrderEventsConfig {
  eventBusName: string;
}

export function readOrderEventsConfig(env: Env): OrderEventsConfig {
  const eventBusName = env.ORDER_EVENT_BUS_NAME?.trim();
  if (!eventBusName) throw new ConfigError("ORDER_EVENT_BUS_NAME", "is required");
  if (!/^[A-Za-z0-9._\-/:]{1,1600}$/.test(eventBusName))
    throw new ConfigError("ORDER_EVENT_BUS_NAME", "must be an event bus name or ARN");
  return { eventBusName };
}
