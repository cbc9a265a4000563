import { readOrderConfig, readStatusRefreshMs } from "../../lib/config.js";
import {
  bankOf,
  cardsOf,
  catalogOf,
  merchantOf,
  operationsOf,
  ordersOf,
  runtimeFromEnv,
  walletsOf,
} from "../../lib/runtime.js";
import { createOrderHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "create-order");
export const handler = createOrderHandler({
  ...runtime,
  config: readOrderConfig(process.env),
  catalog: catalogOf(runtime),
  orders: ordersOf(runtime),
  operations: operationsOf(runtime),
  cards: cardsOf(runtime),
  wallets: walletsOf(runtime),
  bank: bankOf(runtime),
  merchant: merchantOf(runtime),
  refreshMs: readStatusRefreshMs(process.env),
});
