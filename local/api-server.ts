import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2, Context, LambdaFunctionURLEvent } from "aws-lambda";
import { corsHeaders, preflightHeaders } from "./cors.js";
import {
  apiGatewayEvent,
  functionUrlEvent,
  lambdaContext,
  pathParameter,
} from "./lambda-events.js";

/**
 * The local stand-in for API Gateway and the callback's Function URL: each request
 * becomes the event AWS would build, for the very handler module Lambda loads
 * (functions/<name>/index.ts), and the handler's answer goes back as it is. Plus the
 * demo shop's static files at / and /result, and the back office's at /merchant.
 */

type Result = {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  body?: string;
};
type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<Result>;
type UrlHandler = (event: LambdaFunctionURLEvent, context: Context) => Promise<Result>;

export interface Handlers {
  listProducts: ApiHandler;
  createOrder: ApiHandler;
  getStatus: ApiHandler;
  merchant: ApiHandler;
  callback: UrlHandler;
}

/** The merchant API's routes (IAM-only in AWS; open on loopback here, without CORS). */
const MERCHANT_ORDER = /^\/merchant\/orders\/([^/]+)$/;
const MERCHANT_OPERATION = /^\/merchant\/orders\/([^/]+)\/(refund|capture|void)$/;
const CUSTOMER_CARDS = /^\/merchant\/customers\/([^/]+)\/cards$/;
const CARD = /^\/merchant\/cards\/([^/]+)$/;
const CARD_CHARGES = /^\/merchant\/cards\/([^/]+)\/charges$/;

/** API Gateway's own limit on a request body. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** The deployed functions' timeout. */
const FUNCTION_TIMEOUT_MS = 15_000;
const SHOP_DIR = join(dirname(fileURLToPath(import.meta.url)), "demo-shop");
const STATIC: Record<string, string> = {
  "/": "index.html",
  "/result": "result.html",
  "/shop.js": "shop.js",
  "/result.js": "result.js",
  "/shop.css": "shop.css",
  "/i18n.js": "i18n.js",
  // The local back office (the merchant API's JSON routes are under /merchant/orders).
  "/merchant": "merchant.html",
  "/merchant.js": "merchant.js",
  "/merchant-i18n.js": "merchant-i18n.js",
  "/merchant.css": "merchant.css",
};
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number | boolean>,
  body?: string | Buffer,
) {
  if (res.headersSent) return;
  res.writeHead(
    status,
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
  );
  res.end(body);
}

const UUID_PATH = /^\/orders\/([^/]+)$/;
const LOCAL_ORDER_EVENTS = /^\/_local\/orders\/([^/]+)\/events$/;
const WALLET_PAYMENT_PATH = /^\/orders\/([^/]+)\/wallet-payment$/;

export function createApiServer(
  handlers: Handlers,
  options: {
    shopOrigins: readonly string[];
    log: (line: string) => void;
    /** The local bus's memory of order events, shown by the back office (local only). */
    orderEvents?: { eventsOf(orderId: string): unknown[] };
  },
): Server {
  const { shopOrigins, log } = options;
  return createServer(async (req, res) => {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://localhost");
    const origin = req.headers.origin;
    try {
      const raw = await readBody(req);
      if (raw === undefined)
        return send(
          res,
          413,
          { "content-type": "application/json" },
          '{"message":"Request Entity Too Large"}',
        );
      if (method === "OPTIONS" && url.pathname !== "/callback") {
        return send(res, 204, preflightHeaders(origin, shopOrigins));
      }
      const api = async (
        handler: ApiHandler,
        routeKey: string,
        pathParameters?: Record<string, string>,
      ) => {
        const result = await handler(
          apiGatewayEvent(req, raw, routeKey, pathParameters),
          lambdaContext(routeKey, FUNCTION_TIMEOUT_MS),
        );
        send(
          res,
          result.statusCode ?? 200,
          { ...result.headers, ...corsHeaders(origin, shopOrigins) },
          result.body,
        );
        log(`${method} ${url.pathname} → ${result.statusCode}`);
      };
      // Local only, loopback like the merchant routes here: the events the local bus
      // published for an order (in AWS they go to the bus and the webhook, not here).
      const localEvents = LOCAL_ORDER_EVENTS.exec(url.pathname);
      if (localEvents && method === "GET" && options.orderEvents) {
        const events = options.orderEvents.eventsOf(pathParameter(localEvents[1] as string));
        return send(res, 200, { "content-type": "application/json" }, JSON.stringify({ events }));
      }
      if (url.pathname.startsWith("/merchant/")) {
        const merchant = async (routeKey: string, pathParameters?: Record<string, string>) => {
          const result = await handlers.merchant(
            apiGatewayEvent(req, raw, routeKey, pathParameters),
            lambdaContext(routeKey, FUNCTION_TIMEOUT_MS),
          );
          send(res, result.statusCode ?? 200, result.headers ?? {}, result.body);
          log(`${method} ${url.pathname} → ${result.statusCode}`);
        };
        const one = MERCHANT_ORDER.exec(url.pathname);
        const operation = MERCHANT_OPERATION.exec(url.pathname);
        if (url.pathname === "/merchant/orders" && (method === "GET" || method === "POST"))
          return await merchant(`${method} /merchant/orders`);
        if (one && method === "GET")
          return await merchant("GET /merchant/orders/{orderId}", {
            orderId: pathParameter(one[1] as string),
          });
        if (operation && method === "POST")
          return await merchant(`POST /merchant/orders/{orderId}/${operation[2]}`, {
            orderId: pathParameter(operation[1] as string),
          });
        const customerCards = CUSTOMER_CARDS.exec(url.pathname);
        if (customerCards && method === "GET")
          return await merchant("GET /merchant/customers/{customerRef}/cards", {
            customerRef: pathParameter(customerCards[1] as string),
          });
        const charges = CARD_CHARGES.exec(url.pathname);
        if (charges && method === "POST")
          return await merchant("POST /merchant/cards/{cardId}/charges", {
            cardId: pathParameter(charges[1] as string),
          });
        const card = CARD.exec(url.pathname);
        if (card && method === "DELETE")
          return await merchant("DELETE /merchant/cards/{cardId}", {
            cardId: pathParameter(card[1] as string),
          });
      }
      const order = UUID_PATH.exec(url.pathname);
      if (method === "GET" && url.pathname === "/products")
        return await api(handlers.listProducts, "GET /products");
      if (method === "POST" && url.pathname === "/orders")
        return await api(handlers.createOrder, "POST /orders");
      const walletPayment = WALLET_PAYMENT_PATH.exec(url.pathname);
      if (method === "POST" && walletPayment)
        return await api(handlers.createOrder, "POST /orders/{orderId}/wallet-payment", {
          orderId: pathParameter(walletPayment[1] as string),
        });
      if (method === "GET" && order) {
        return await api(handlers.getStatus, "GET /orders/{orderId}", {
          orderId: pathParameter(order[1] as string),
        });
      }
      if (url.pathname === "/callback") {
        const result = await handlers.callback(
          functionUrlEvent(req, raw),
          lambdaContext("callback", FUNCTION_TIMEOUT_MS),
        );
        send(res, result.statusCode ?? 200, result.headers ?? {}, result.body);
        log(`${method} /callback → ${result.statusCode}`);
        return;
      }
      if (url.pathname === "/favicon.ico") return send(res, 204, {});
      const file = method === "GET" ? STATIC[url.pathname] : undefined;
      if (file) {
        const body = await readFile(join(SHOP_DIR, file));
        return send(
          res,
          200,
          {
            "content-type": TYPES[extname(file)] ?? "application/octet-stream",
            "cache-control": "no-cache",
          },
          body,
        );
      }
      // API Gateway's answer for a route it does not have.
      send(
        res,
        404,
        { "content-type": "application/json", ...corsHeaders(origin, shopOrigins) },
        '{"message":"Not Found"}',
      );
    } catch (error) {
      log(
        `internal error on ${method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`,
      );
      send(res, 500, { "content-type": "application/json" }, '{"message":"Internal Server Error"}');
    }
  });
}
