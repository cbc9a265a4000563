import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import {
  type OrderEventPublisher,
  publishOrderEvents,
} from "../../lib/events/publish-order-events.js";

/**
 * The orders table's stream (a Lambda event source mapping, filtered to order
 * items) → `Order Status Changed` events. Answers the records that failed
 * (ReportBatchItemFailures): Lambda retries from the first of them, bisecting, a
 * bounded number of times, then sends the record's position to the dead-letter queue.
 */
export function orderEventsHandler(deps: { publish: OrderEventPublisher; log: Logger }) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
    .use(injectLambdaContext(deps.log, { resetKeys: true }))
    .handler(async (event) => {
      const failed = await publishOrderEvents(event.Records, deps);
      return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}
