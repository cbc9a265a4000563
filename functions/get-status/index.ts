import { readStatusRefreshMs } from "../../lib/config.js";
import {
  bankOf,
  cardsOf,
  merchantOf,
  operationsOf,
  ordersOf,
  runtimeFromEnv,
} from "../../lib/runtime.js";
import { getStatusHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "get-status");
export const handler = getStatusHandler({
  ...runtime,
  orders: ordersOf(runtime),
  operations: operationsOf(runtime),
  cards: cardsOf(runtime),
  bank: bankOf(runtime),
  merchant: merchantOf(runtime),
  refreshMs: readStatusRefreshMs(process.env),
});
