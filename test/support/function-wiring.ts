import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import type { RunningSandbox } from "bog-sandbox";
import { callbackHandler } from "../../functions/callback/app.js";
import { createOrderHandler } from "../../functions/create-order/app.js";
import { getStatusHandler } from "../../functions/get-status/app.js";
import { listProductsHandler } from "../../functions/list-products/app.js";
import { merchantHandler } from "../../functions/merchant/app.js";
import { type ReconcileHandlerDeps, reconcileHandler } from "../../functions/reconcile/app.js";
import { loadCallbackPublicKey } from "../../lib/bog/callback-signature.js";
import { createBankClient } from "../../lib/bog/create-bank-client.js";
import { dynamoMerchantIdStore, MerchantIdentity } from "../../lib/bog/merchant-id.js";
import { CardStore } from "../../lib/cards/card-store.js";
import {
  type Env,
  readBankConfig,
  readMerchantId,
  readOrderConfig,
  readReconcileConfig,
  readStatusRefreshMs,
  type TablesConfig,
} from "../../lib/config.js";
import type { MetricOptions } from "../../lib/metrics.js";
import publicDocument from "../../lib/openapi/public-openapi.json" with { type: "json" };
import { servedDocument } from "../../lib/openapi/served-document.js";
import { CatalogStore } from "../../lib/orders/checkout/catalog.js";
import { OpenOrderQuery } from "../../lib/orders/reconcile/open-order-query.js";
import { OperationStore } from "../../lib/orders/storage/operation-store.js";
import { OrderListStore } from "../../lib/orders/storage/order-list.js";
import { OrderStore } from "../../lib/orders/storage/order-store.js";
import { WalletPaymentStore } from "../../lib/orders/storage/wallet-store.js";
import { bankCallMetrics } from "../../lib/runtime.js";
import { apiGatewayEventOf, functionUrlEventOf } from "../../local/lambda-events.js";
import { countingDocumentClient, type RequestCounter } from "./request-counter.js";

/**
 * The payment functions wired as their index.ts wires them in AWS, but against the
 * sandbox and DynamoDB Local, each with its own DynamoDB client and request counter
 * (a container of its own). Plain code, no vitest: the tests (functions.ts) and
 * `npm run bench` both build from it.
 */

export const CATALOG = [
  {
    productId: "sku-cup",
    description: "Espresso cup",
    unitPrice: 1250,
    currency: "GEL",
    image: "https://shop.example/cup.jpg",
  },
  { productId: "sku-beans", description: "Coffee beans 250 g", unitPrice: 1800, currency: "GEL" },
  { productId: "sku-mug-usd", description: "Travel mug", unitPrice: 2000, currency: "USD" },
  {
    productId: "sku-retired",
    description: "Old cup",
    unitPrice: 999,
    currency: "GEL",
    active: false,
  },
  { productId: "sku-sticker", description: "Sticker", unitPrice: 0, currency: "GEL" },
];

export const SHOP = "http://127.0.0.1:9/shop";

export function apiEvent(init: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
}): APIGatewayProxyEventV2 {
  const encoding = init.isBase64Encoded ? "base64" : "utf8";
  return apiGatewayEventOf(
    {
      method: init.method,
      url: init.path,
      headers: init.headers,
      body: init.body === undefined ? undefined : Buffer.from(init.body, encoding),
      base64: init.isBase64Encoded,
      userAgent: "test",
    },
    `${init.method} ${init.path}`,
    init.pathParameters,
  );
}

/** POST /orders as API Gateway hands it over: a JSON body and its Idempotency-Key. */
export function createOrderEvent(body: unknown, idempotencyKey: string): APIGatewayProxyEventV2 {
  return apiEvent({
    method: "POST",
    path: "/orders",
    headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
    body: JSON.stringify(body),
  });
}

export function callbackEvent(
  raw: Buffer,
  headers: Record<string, string> = {},
  base64 = false,
): LambdaFunctionURLEvent {
  return functionUrlEventOf({
    method: "POST",
    url: "/",
    headers: { "content-type": "application/json", ...headers },
    body: raw,
    base64,
  });
}

export function quietLogger(): Logger {
  return new Logger({ serviceName: "test", logLevel: "SILENT" });
}

export interface FunctionCounters {
  createOrder: RequestCounter;
  merchant: RequestCounter;
  getStatus: RequestCounter;
  callback: RequestCounter;
  listProducts: RequestCounter;
  reconcile: RequestCounter;
}

/** What the wiring needs of the sandbox (in-process in the tests, a child process in the bench). */
export type SandboxAddress = Pick<
  RunningSandbox,
  "url" | "clientId" | "clientSecret" | "publicKeyPem"
>;

export interface Wiring {
  sandbox: SandboxAddress;
  tables: TablesConfig & { endpoint: string };
  /** Where the sandbox sends its callbacks. */
  callbackUrl: string;
  env?: Env;
  logger?: () => Logger;
  counters: FunctionCounters;
  metric: (name: string, value: number, options: MetricOptions) => void;
  putReconcileMetrics: NonNullable<ReconcileHandlerDeps["putMetrics"]>;
}

export function wireFunctions(w: Wiring) {
  const sb = w.sandbox;
  const t = w.tables;
  const env: Env = {
    BOG_BASE_URL: sb.url,
    BOG_CLIENT_ID: sb.clientId,
    BOG_CLIENT_SECRET: sb.clientSecret,
    CALLBACK_URL: w.callbackUrl,
    SUCCESS_URL_TEMPLATE: `${SHOP}/result?order={orderId}&outcome=success`,
    FAIL_URL_TEMPLATE: `${SHOP}/result?order={orderId}&outcome=fail`,
    ...w.env,
  };
  const log = () => w.logger?.() ?? quietLogger();
  const common = {
    now: Date.now,
    newId: () => crypto.randomUUID(),
    metric: (name: string, value = 1, options: MetricOptions = {}) =>
      w.metric(name, value, options),
  };
  const container = (counter: RequestCounter) => {
    const doc = countingDocumentClient(t.endpoint, counter);
    const bank = createBankClient(readBankConfig(env), doc, t.bankToken, {
      onCall: bankCallMetrics(common.metric),
    }).client;
    return {
      doc,
      bank,
      orders: new OrderStore(doc, t.orders),
      operations: new OperationStore(doc, t.orders),
      cards: new CardStore(doc, t.orders),
      wallets: new WalletPaymentStore(doc, t.orders),
      list: new OrderListStore(doc, t.orders),
      catalog: new CatalogStore(doc, t.catalog),
      merchant: new MerchantIdentity(readMerchantId(env), dynamoMerchantIdStore(doc, t.bankToken)),
    };
  };
  const refreshMs = readStatusRefreshMs(env);
  const c = container(w.counters.createOrder);
  const s = container(w.counters.getStatus);
  const k = container(w.counters.callback);
  const l = container(w.counters.listProducts);
  const m = container(w.counters.merchant);
  const r = container(w.counters.reconcile);
  const config = readOrderConfig(env);
  const reconcileDeps: ReconcileHandlerDeps = {
    ...common,
    ...r,
    tableName: t.orders,
    open: new OpenOrderQuery(r.doc, t.orders),
    ...readReconcileConfig(env),
    log: log(),
    putMetrics: (values) => w.putReconcileMetrics(values),
  };
  return {
    config,
    createOrder: createOrderHandler({ ...common, ...c, config, refreshMs, log: log() }),
    getStatus: getStatusHandler({ ...common, ...s, refreshMs, log: log() }),
    callback: callbackHandler({
      ...common,
      ...k,
      refreshMs,
      publicKey: loadCallbackPublicKey(env.BOG_CALLBACK_PUBLIC_KEY ?? sb.publicKeyPem),
      log: log(),
    }),
    listProducts: listProductsHandler({
      catalog: l.catalog,
      document: servedDocument(publicDocument),
      log: log(),
    }),
    merchantApi: merchantHandler({ ...common, ...m, config, log: log() }),
    reconcileDeps,
    reconcile: reconcileHandler(reconcileDeps),
    orders: s.orders,
    doc: s.doc,
    bank: k.bank,
    merchant: k.merchant,
  };
}
