import { randomUUID } from "node:crypto";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { BankCall, BogClient } from "./bog/client.js";
import { createBankClient } from "./bog/create-bank-client.js";
import { dynamoMerchantIdStore, MerchantIdentity } from "./bog/merchant-id.js";
import { CardStore } from "./cards/card-store.js";
import {
  type Env,
  readBankConfig,
  readMerchantId,
  readTablesConfig,
  type TablesConfig,
} from "./config.js";
import { createDocumentClient } from "./dynamo/client.js";
import { createLogger } from "./log.js";
import { BANK_ERRORS, BANK_LATENCY, BANK_THROTTLED, emitMetric, type MetricFn } from "./metrics.js";
import { CatalogStore } from "./orders/checkout/catalog.js";
import { OperationStore } from "./orders/storage/operation-store.js";
import { OrderListStore } from "./orders/storage/order-list.js";
import { OrderStore } from "./orders/storage/order-store.js";
import { WalletPaymentStore } from "./orders/storage/wallet-store.js";

/**
 * What a function builds once per container, at cold start, from its environment.
 * A missing setting throws here, naming it, before any request is served.
 */

export interface Runtime {
  env: Env;
  tables: TablesConfig;
  doc: DynamoDBDocumentClient;
  log: Logger;
  now: () => number;
  newId: () => string;
  /** Counts one event of a CloudWatch metric (EMF). */
  metric: MetricFn;
}

export function runtimeFromEnv(env: Env, serviceName: string): Runtime {
  const tables = readTablesConfig(env);
  return {
    env,
    tables,
    doc: createDocumentClient(tables.endpoint),
    log: createLogger(serviceName),
    now: Date.now,
    newId: randomUUID,
    metric: (name, value, options) => emitMetric(name, value, options),
  };
}

export const ordersOf = (runtime: Runtime) => new OrderStore(runtime.doc, runtime.tables.orders);
export const cardsOf = (runtime: Runtime) => new CardStore(runtime.doc, runtime.tables.orders);
export const operationsOf = (runtime: Runtime) =>
  new OperationStore(runtime.doc, runtime.tables.orders);
export const walletsOf = (runtime: Runtime) =>
  new WalletPaymentStore(runtime.doc, runtime.tables.orders);
export const orderListOf = (runtime: Runtime) =>
  new OrderListStore(runtime.doc, runtime.tables.orders);
export const catalogOf = (runtime: Runtime) =>
  new CatalogStore(runtime.doc, runtime.tables.catalog);

/** Each bank call as metrics: its latency, and an error when it failed, by operation. */
export const bankCallMetrics =
  (metric: MetricFn) =>
  ({ operation, ms, failed }: BankCall): void => {
    const dimensions = { Operation: operation };
    metric(BANK_LATENCY, ms, { unit: "Milliseconds", dimensions });
    if (failed) metric(BANK_ERRORS, 1, { dimensions });
  };

export function bankOf(runtime: Runtime): BogClient {
  const log = {
    warn: (message: string, attributes: Record<string, unknown> = {}) =>
      runtime.log.warn(message, attributes),
  };
  return createBankClient(readBankConfig(runtime.env), runtime.doc, runtime.tables.bankToken, {
    log,
    onThrottled: () => runtime.metric(BANK_THROTTLED),
    onCall: bankCallMetrics(runtime.metric),
  }).client;
}

/** The merchant's id: BOG_MERCHANT_ID, or learned and shared through the bank-token table. */
export const merchantOf = (runtime: Runtime) =>
  new MerchantIdentity(
    readMerchantId(runtime.env),
    dynamoMerchantIdStore(runtime.doc, runtime.tables.bankToken),
  );
