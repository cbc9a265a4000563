import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { httpErrors } from "../../lib/http/error-handler.js";
import { header } from "../../lib/http/request.js";
import { type HttpResult, json } from "../../lib/http/response.js";
import type { Log } from "../../lib/log.js";
import { formatAmount } from "../../lib/money.js";
import { documentAnswer, type ServedDocument } from "../../lib/openapi/served-document.js";
import type { CatalogStore } from "../../lib/orders/checkout/catalog.js";

const OPENAPI_ROUTE = "GET /openapi.json";

/**
 * GET /products: the active catalog, prices and per-unit discounts (null for none) as
 * decimal strings, for the shop's pages. And GET /openapi.json, the public API's
 * document: a light function serves both (no bank, no secret, one table read).
 */
export function listProductsHandler(deps: {
  catalog: CatalogStore;
  document: ServedDocument;
  log: Logger & Log;
}) {
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(deps.log, { resetKeys: true }))
    .use(httpErrors(deps.log))
    .handler(async (event) => {
      if (event.routeKey === OPENAPI_ROUTE)
        return documentAnswer(deps.document, header(event, "if-none-match"));
      const products = await deps.catalog.listActive();
      return json(
        200,
        {
          products: products.map((p) => ({
            productId: p.productId,
            description: p.description,
            unitPrice: formatAmount(p.unitPrice),
            unitDiscount: p.unitDiscount === undefined ? null : formatAmount(p.unitDiscount),
            currency: p.currency,
            image: p.image,
          })),
        },
        // Prices change rarely; a minute of caching spares the table every page view.
        { "cache-control": "public, max-age=60" },
      );
    });
}
