import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { detailTypeOf } from "./bus-event.js";
import { ORDER_EVENT_SOURCE } from "./order-event.js";
import type { OrderEventPublisher } from "./publish-order-events.js";

/** PutEvents takes at most ten entries a request. */
const PUT_EVENTS_MAX_ENTRIES = 10;

/**
 * Publishes order and card events to the stack's EventBridge bus: ten to a PutEvents request,
 * the requests in parallel. A request that fails fails its ten entries; an entry the
 * bus refused (its ErrorCode) fails alone. Either way the caller retries the record.
 */
export function eventBridgePublisher(
  client: Pick<EventBridgeClient, "send">,
  eventBusName: string,
): OrderEventPublisher {
  return async (entries) => {
    const chunks: Array<typeof entries> = [];
    for (let i = 0; i < entries.length; i += PUT_EVENTS_MAX_ENTRIES)
      chunks.push(entries.slice(i, i + PUT_EVENTS_MAX_ENTRIES));
    const answers = await Promise.all(
      chunks.map(async (chunk): Promise<Array<string | null>> => {
        try {
          const { Entries = [] } = await client.send(
            new PutEventsCommand({
              Entries: chunk.map(({ detail }) => ({
                EventBusName: eventBusName,
                Source: ORDER_EVENT_SOURCE,
                DetailType: detailTypeOf(detail),
                Detail: JSON.stringify(detail),
                Time: new Date(detail.occurredAt),
              })),
            }),
          );
          return chunk.map((_, i) => {
            const answer = Entries[i];
            if (answer?.EventId) return null;
            return answer?.ErrorCode ?? "no event id";
          });
        } catch (error) {
          const problem = error instanceof Error ? error.name : "PutEvents failed";
          return chunk.map(() => problem);
        }
      }),
    );
    return answers.flat();
  };
}
