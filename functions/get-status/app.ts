import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { httpErrors } from "../../lib/http/error-handler.js";
import { deadlineFrom, orderIdParam } from "../../lib/http/lambda.js";
import { type HttpResult, json } from "../../lib/http/response.js";
import { type OrderStatusDeps, orderStatus } from "../../lib/orders/bank-answers/get-status.js";

/** GET /orders/{orderId}: the order's state, reconciled with the bank when stale. */
export function getStatusHandler(deps: OrderStatusDeps & { log: Logger }) {
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(deps.log, { resetKeys: true }))
    .use(httpErrors(deps.log))
    .handler(async (event, context) => {
      const orderId = orderIdParam(event.pathParameters?.orderId);
      return json(200, await orderStatus(orderId, deadlineFrom(context), deps));
    });
}
