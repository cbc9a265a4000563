import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { httpErrors } from "../../lib/http/error-handler.js";
import { type HttpResult, json } from "../../lib/http/response.js";
import type { Log } from "../../lib/log.js";
import { formatAmount } from "../../lib/money.js";
import type { CatalogRepository } from "../../lib/orders/catalog.js";

/**
 * GET /products: the active catalog, prices and per-unit discounts (null for none) as
 * decimal strings, for the shop's pages.
 */
export function listProductsHandler(deps: { catalog: CatalogRepository; log: Logger & Log }) {
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(deps.log, { resetKeys: true }))
    .use(httpErrors(deps.log))
    .handler(async () => {
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
