import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import { ALL_ROUTE_KEYS, ROUTES, type RouteKey } from "../lib/http/routes.js";
import { type FunctionPool, type Invocation, NoContainerFreeError } from "./container-pool.js";
import { corsHeaders, preflightHeaders } from "./cors.js";
import { docsFile } from "./docs.js";
import { apiGatewayEvent, functionUrlEvent, pathParameter } from "./lambda-events.js";
import { NoWebhookError } from "./order-webhook.js";

/**
 * The local stand-in for API Gateway and the callback's Function URL: each request
 * becomes the event AWS would build, for a container of the very handler module
 * Lambda loads (functions/<name>/index.ts; see container-pool.ts), and the handler's
 * answer goes back as it is. Plus the demo shop's static files at / and /result, the
 * back office's at /merchant, and the API reference at /docs.
 */

export type LambdaResult = {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  body?: string;
};
type ApiFunction = FunctionPool<APIGatewayProxyEventV2, LambdaResult>;
type UrlFunction = FunctionPool<LambdaFunctionURLEvent, LambdaResult>;

export interface Functions {
  listProducts: ApiFunction;
  createOrder: ApiFunction;
  getStatus: ApiFunction;
  merchant: ApiFunction;
  callback: UrlFunction;
}

/** The adapter's line for an invocation: which container took it, as Lambda's REPORT line says. */
function containerNote(name: string, invocation: Invocation<LambdaResult>): string {
  return `(${name} container ${invocation.container}${invocation.coldStart ? ", cold start" : ""})`;
}

// The routes API Gateway has in AWS, each to its function (lib/http/routes.ts); merchant
// routes answer without CORS (IAM-only in AWS; open on loopback here).
const LOCAL_ROUTES = ALL_ROUTE_KEYS.map((routeKey) => {
  const [method, template] = routeKey.split(" ") as [string, string];
  const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`);
  return { routeKey, method, pattern };
});

/** The route a request takes, with its path parameters as API Gateway decodes them. */
function routeOf(
  method: string,
  path: string,
): { routeKey: RouteKey; pathParameters?: Record<string, string> } | undefined {
  for (const route of LOCAL_ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (!match) continue;
    const groups = Object.entries(match.groups ?? {});
    return groups.length === 0
      ? { routeKey: route.routeKey }
      : {
          routeKey: route.routeKey,
          pathParameters: Object.fromEntries(groups.map(([k, v]) => [k, pathParameter(v)])),
        };
  }
  return undefined;
}

/** API Gateway's own limit on a request body. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
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
  "/merchant-page.js": "merchant-page.js",
  "/merchant-list.js": "merchant-list.js",
  "/merchant-cards.js": "merchant-cards.js",
  "/merchant-order.js": "merchant-order.js",
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

const LOCAL_ORDER_EVENTS = /^\/_local\/orders\/([^/]+)\/events$/;

export function createApiServer(
  functions: Functions,
  options: {
    shopOrigins: readonly string[];
    log: (line: string) => void;
    /** The local bus's memory of order events, shown by the back office (local only). */
    orderEvents?: {
      eventsOf(orderId: string): unknown[];
      redrive(): Promise<{ delivered: number; failed: number }>;
    };
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
      // Local only, loopback like the merchant routes here: the events the local bus
      // published for an order (in AWS they go to the bus and the webhook, not here).
      const localEvents = LOCAL_ORDER_EVENTS.exec(url.pathname);
      if (localEvents && method === "GET" && options.orderEvents) {
        const events = options.orderEvents.eventsOf(pathParameter(localEvents[1] as string));
        return send(res, 200, { "content-type": "application/json" }, JSON.stringify({ events }));
      }
      // `npm run webhook -- redrive --local`: the dead events of the local store, again.
      // An operator's command, never a web page's: a browser sends Origin with a POST,
      // so a page elsewhere cannot make this server send the shop's events again.
      if (url.pathname === "/_local/webhook/redrive" && method === "POST" && options.orderEvents) {
        if (origin !== undefined)
          return send(
            res,
            403,
            { "content-type": "application/json" },
            JSON.stringify({
              error: { code: "forbidden", message: "an operator's command, not a web page's" },
            }),
          );
        const counts = await options.orderEvents.redrive().catch((error: unknown) => {
          if (error instanceof NoWebhookError) return error;
          throw error;
        });
        if (counts instanceof NoWebhookError)
          // Started without ORDER_WEBHOOK_URL: nothing to send to, said as it is.
          return send(
            res,
            409,
            { "content-type": "application/json" },
            JSON.stringify({ error: { code: "no_webhook", message: counts.message } }),
          );
        return send(res, 200, { "content-type": "application/json" }, JSON.stringify(counts));
      }
      const route = routeOf(method, url.pathname);
      if (route) {
        const target = ROUTES[route.routeKey].fn;
        const fn = functions[target];
        const invocation = await fn.invoke(
          apiGatewayEvent(req, raw, route.routeKey, route.pathParameters),
        );
        const { result } = invocation;
        const cors =
          ROUTES[route.routeKey].access === "merchant" ? {} : corsHeaders(origin, shopOrigins);
        send(res, result.statusCode ?? 200, { ...result.headers, ...cors }, result.body);
        log(
          `${method} ${url.pathname} → ${result.statusCode} ${containerNote(fn.name, invocation)}`,
        );
        return;
      }
      if (url.pathname === "/callback") {
        const invocation = await functions.callback.invoke(functionUrlEvent(req, raw));
        const { result } = invocation;
        send(res, result.statusCode ?? 200, result.headers ?? {}, result.body);
        log(
          `${method} /callback → ${result.statusCode} ${containerNote(functions.callback.name, invocation)}`,
        );
        return;
      }
      if (url.pathname === "/favicon.ico") return send(res, 204, {});
      const docs = method === "GET" ? await docsFile(url.pathname) : undefined;
      if (docs)
        return send(
          res,
          200,
          { "content-type": docs.type, "cache-control": "no-cache" },
          docs.body,
        );
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
      if (error instanceof NoContainerFreeError) {
        // API Gateway's own answer when its integration does not answer in time.
        log(`${method} ${url.pathname} → 503 (${error.message})`);
        return send(
          res,
          503,
          { "content-type": "application/json", ...corsHeaders(origin, shopOrigins) },
          '{"message":"Service Unavailable"}',
        );
      }
      log(
        `internal error on ${method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`,
      );
      send(res, 500, { "content-type": "application/json" }, '{"message":"Internal Server Error"}');
    }
  });
}
