import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { type ChargeDeps, chargeCard } from "../../lib/cards/charge-card.js";
import { customerRefParam } from "../../lib/cards/customer-ref.js";
import { deleteCard } from "../../lib/cards/delete-card.js";
import { listCards } from "../../lib/cards/list-cards.js";
import { ApiError } from "../../lib/http/api-error.js";
import { httpErrors } from "../../lib/http/error-handler.js";
import { deadlineFrom, orderIdParam, requiredIdempotencyKey } from "../../lib/http/lambda.js";
import { jsonBody } from "../../lib/http/request.js";
import { type HttpResult, json, noContent } from "../../lib/http/response.js";
import type { LookupDeps } from "../../lib/orders/bank-answers/lookup.js";
import type { PlaceOrderDeps } from "../../lib/orders/checkout/place-order.js";
import { createMerchantOrder } from "../../lib/orders/merchant/create-merchant-order.js";
import { listOrders, parseListQuery } from "../../lib/orders/merchant/list-orders.js";
import { merchantOrder } from "../../lib/orders/merchant/merchant-order.js";
import { parseMerchantOrderRequest } from "../../lib/orders/merchant/merchant-order-request.js";
import { parseOperationRequest } from "../../lib/orders/merchant/operation-request.js";
import {
  type OperationDeps,
  requestOperation,
} from "../../lib/orders/merchant/request-operation.js";
import type { OrderListStore } from "../../lib/orders/storage/order-list.js";

/**
 * The merchant API (docs/merchant-api.md, and docs/saved-cards.md), one function for its routes, behind IAM in
 * AWS and on loopback locally. Each route: parse at the edge, call its rule in
 * lib/orders/merchant/, answer.
 */

export type MerchantDeps = PlaceOrderDeps &
  LookupDeps &
  OperationDeps &
  ChargeDeps & { list: OrderListStore; log: Logger };

type Route = (event: APIGatewayProxyEventV2, deadline: number) => Promise<HttpResult>;

function routes(deps: MerchantDeps): Record<string, Route> {
  const orderId = (event: APIGatewayProxyEventV2) => orderIdParam(event.pathParameters?.orderId);
  const operation =
    (kind: "refund" | "capture" | "void"): Route =>
    async (event, deadline) => {
      const key = requiredIdempotencyKey(event);
      const request = parseOperationRequest(kind, jsonBody(event, deps.config.maxBodyBytes, true));
      return json(202, await requestOperation(orderId(event), request, key, deadline, deps));
    };
  return {
    "POST /merchant/orders": async (event, deadline) => {
      const key = requiredIdempotencyKey(event);
      const request = parseMerchantOrderRequest(
        jsonBody(event, deps.config.maxBodyBytes),
        deps.config,
      );
      return json(201, await createMerchantOrder(request, key, deadline, deps));
    },
    "GET /merchant/orders": async (event) =>
      json(200, await listOrders(parseListQuery(event.queryStringParameters ?? {}), deps.list)),
    "GET /merchant/orders/{orderId}": async (event, deadline) => {
      const refresh = event.queryStringParameters?.refresh;
      if (refresh !== undefined && refresh !== "true" && refresh !== "false")
        throw new ApiError(400, "invalid_request", "refresh must be true or false", [
          { path: "query.refresh", message: "true or false" },
        ]);
      return json(200, await merchantOrder(orderId(event), refresh === "true", deadline, deps));
    },
    "GET /merchant/customers/{customerRef}/cards": async (event) =>
      json(200, await listCards(customerRefParam(event.pathParameters?.customerRef), deps.cards)),
    "POST /merchant/cards/{cardId}/charges": async (event, deadline) => {
      const key = requiredIdempotencyKey(event);
      const body = jsonBody(event, deps.config.maxBodyBytes, true);
      return json(
        201,
        await chargeCard(event.pathParameters?.cardId ?? "", body, key, deadline, deps),
      );
    },
    "DELETE /merchant/cards/{cardId}": async (event, deadline) => {
      await deleteCard(event.pathParameters?.cardId ?? "", deadline, deps);
      return noContent();
    },
    "POST /merchant/orders/{orderId}/refund": operation("refund"),
    "POST /merchant/orders/{orderId}/capture": operation("capture"),
    "POST /merchant/orders/{orderId}/void": operation("void"),
  };
}

export function merchantHandler(deps: MerchantDeps) {
  const table = routes(deps);
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(deps.log, { resetKeys: true, logEvent: false }))
    .use(httpErrors(deps.log))
    .handler(async (event, context: Context) => {
      const route = table[event.routeKey];
      if (!route) throw new ApiError(404, "invalid_request", "no such merchant route");
      return route(event, deadlineFrom(context));
    });
}
