import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { httpErrors } from "../../lib/http/error-handler.js";
import { deadlineFrom, idempotencyKey } from "../../lib/http/lambda.js";
import { jsonBody } from "../../lib/http/request.js";
import { type HttpResult, json } from "../../lib/http/response.js";
import { type CreateOrderDeps, createOrder } from "../../lib/orders/create-order.js";
import { parseOrderRequest } from "../../lib/orders/order-request.js";

/** POST /orders: parse and validate at the edge, then the create-order rules in lib/. */
export function createOrderHandler(deps: CreateOrderDeps & { log: Logger }) {
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(deps.log, { resetKeys: true }))
    .use(httpErrors(deps.log))
    .handler(async (event, context) => {
      const key = idempotencyKey(event);
      const request = parseOrderRequest(jsonBody(event, deps.config.maxBodyBytes), deps.config);
      return json(201, await createOrder(request, key, deadlineFrom(context), deps));
    });
}
