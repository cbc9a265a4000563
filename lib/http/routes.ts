/**
 * Every route of the HTTP API, once: the function that answers it and who may call it.
 * The stack (infra/payments-stack.ts) makes API Gateway's routes from it, the local
 * adapter (local/api-server.ts) routes `npm start`'s requests by it, and a test holds
 * openapi.yaml to it.
 *
 * - `public`: the shop's frontend (docs/api.md), no credentials, CORS;
 * - `merchant`: the shop's backend (docs/merchant-api.md), AWS IAM only, no CORS;
 * - `cards` marks the saved-card routes (docs/saved-cards.md), which need the orders
 *   table's customer index.
 */

/** The functions behind the API (the callback has its own Function URL). */
export type RouteFunction = "listProducts" | "createOrder" | "getStatus" | "merchant";

interface Route {
  fn: RouteFunction;
  access: "public" | "merchant";
  cards?: true;
}

export const ROUTES = {
  "GET /products": { fn: "listProducts", access: "public" },
  "POST /orders": { fn: "createOrder", access: "public" },
  "GET /orders/{orderId}": { fn: "getStatus", access: "public" },
  "POST /orders/{orderId}/wallet-payment": { fn: "createOrder", access: "public" },
  // The public API's OpenAPI document: the catalog's light function serves it too.
  "GET /openapi.json": { fn: "listProducts", access: "public" },
  "POST /merchant/orders": { fn: "merchant", access: "merchant" },
  "GET /merchant/orders": { fn: "merchant", access: "merchant" },
  "GET /merchant/orders/{orderId}": { fn: "merchant", access: "merchant" },
  "POST /merchant/orders/{orderId}/refund": { fn: "merchant", access: "merchant" },
  "POST /merchant/orders/{orderId}/capture": { fn: "merchant", access: "merchant" },
  "POST /merchant/orders/{orderId}/void": { fn: "merchant", access: "merchant" },
  "GET /merchant/customers/{customerRef}/cards": {
    fn: "merchant",
    access: "merchant",
    cards: true,
  },
  "POST /merchant/cards/{cardId}/charges": { fn: "merchant", access: "merchant", cards: true },
  "DELETE /merchant/cards/{cardId}": { fn: "merchant", access: "merchant", cards: true },
} as const satisfies Record<string, Route>;

export type RouteKey = keyof typeof ROUTES;

const ROUTE_KEYS = Object.keys(ROUTES) as RouteKey[];
const routeOf = (key: RouteKey): Route => ROUTES[key];

/** Every route, in the table's order. */
export const ALL_ROUTE_KEYS: readonly RouteKey[] = ROUTE_KEYS;
/** The frontend's routes. */
export const PUBLIC_ROUTE_KEYS: readonly RouteKey[] = ROUTE_KEYS.filter(
  (key) => routeOf(key).access === "public",
);
/** The merchant API's routes (saved cards included): AWS IAM only. */
export const MERCHANT_ROUTE_KEYS: readonly RouteKey[] = ROUTE_KEYS.filter(
  (key) => routeOf(key).access === "merchant",
);
/** The saved-card routes of the merchant API. */
export const CARD_ROUTE_KEYS: readonly RouteKey[] = ROUTE_KEYS.filter(
  (key) => routeOf(key).cards === true,
);
