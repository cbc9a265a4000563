import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { httpErrors } from "../../lib/http/error-handler.js";
import { deadlineFrom, idempotencyKey, orderIdParam } from "../../lib/http/lambda.js";
import { jsonBody } from "../../lib/http/request.js";
import { type HttpResult, json } from "../../lib/http/response.js";
import { type CreateOrderDeps, createOrder } from "../../lib/orders/checkout/create-order.js";
import { parseOrderRequest } from "../../lib/orders/checkout/order-request.js";
import { parseBody } from "../../lib/orders/checkout/request-fields.js";
import { walletPaymentSchema } from "../../lib/orders/wallets/wallet.js";
import {
  payWithApplePay,
  type WalletPaymentDeps,
} from "../../lib/orders/wallets/wallet-payment.js";

const WALLET_PAYMENT_ROUTE = "POST /orders/{orderId}/wallet-payment";

/**
 * POST /orders, and Apple Pay's second step POST /orders/{orderId}/wallet-payment
 * (the same dependencies and grants): parse and validate at the edge, then the
 * rules in lib/.
 */
export function createOrderHandler(deps: CreateOrderDeps & WalletPaymentDeps & { log: Logger }) {
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(deps.log, { resetKeys: true, logEvent: false }))
    .use(httpErrors(deps.log))
    .handler(async (event, context) => {
      if (event.routeKey === WALLET_PAYMENT_ROUTE) {
        const orderId = orderIdParam(event.pathParameters?.orderId);
        const { token } = parseBody(walletPaymentSchema, jsonBody(event, deps.config.maxBodyBytes));
        return json(200, await payWithApplePay(orderId, token, deadlineFrom(context), deps));
      }
      const key = idempotencyKey(event);
      const request = parseOrderRequest(jsonBody(event, deps.config.maxBodyBytes), deps.config);
      return json(201, await createOrder(request, key, deadlineFrom(context), deps));
    });
}
