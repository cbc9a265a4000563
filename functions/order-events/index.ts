import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { eventBridgePublisher } from "../../lib/events/eventbridge-publisher.js";
import { readOrderEventsConfig } from "../../lib/events/events-config.js";
import { createLogger } from "../../lib/log.js";
import { orderEventsHandler } from "./app.js";

const config = readOrderEventsConfig(process.env);
// Bounded like every AWS call of the product: a stalled PutEvents fails its records
// (retried by Lambda) well inside the function's timeout.
const client = new EventBridgeClient({
  maxAttempts: 3,
  requestHandler: { requestTimeout: 3000, connectionTimeout: 2000, throwOnRequestTimeout: true },
});
export const handler = orderEventsHandler({
  publish: eventBridgePublisher(client, config.eventBusName),
  log: createLogger("order-events"),
});
