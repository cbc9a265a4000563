import { randomUUID } from "node:crypto";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { BogClient } from "./bog/client.js";
import { createBankClient } from "./bog/create-bank-client.js";
import { type Env, readBankConfig, readTablesConfig, type TablesConfig } from "./config.js";
import { createDocumentClient } from "./dynamo/client.js";
import { createLogger } from "./log.js";
import { CatalogRepository } from "./orders/catalog.js";
import { OrderRepository } from "./orders/order-repository.js";

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
  };
}

export const ordersOf = (runtime: Runtime) =>
  new OrderRepository(runtime.doc, runtime.tables.orders);
export const catalogOf = (runtime: Runtime) =>
  new CatalogRepository(runtime.doc, runtime.tables.catalog);

export function bankOf(runtime: Runtime): BogClient {
  const log = {
    warn: (message: string, attributes: Record<string, unknown> = {}) =>
      runtime.log.warn(message, attributes),
  };
  return createBankClient(readBankConfig(runtime.env), runtime.doc, runtime.tables.bankToken, {
    log,
  }).client;
}
