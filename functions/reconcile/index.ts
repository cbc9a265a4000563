import { readReconcileConfig } from "../../lib/config.js";
import { OpenOrderQuery } from "../../lib/orders/reconcile/open-order-query.js";
import {
  bankOf,
  cardsOf,
  merchantOf,
  operationsOf,
  ordersOf,
  runtimeFromEnv,
} from "../../lib/runtime.js";
import { reconcileHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "reconcile");
const config = readReconcileConfig(process.env);
export const handler = reconcileHandler({
  ...runtime,
  orders: ordersOf(runtime),
  operations: operationsOf(runtime),
  cards: cardsOf(runtime),
  bank: bankOf(runtime),
  merchant: merchantOf(runtime),
  doc: runtime.doc,
  tableName: runtime.tables.orders,
  open: new OpenOrderQuery(runtime.doc, runtime.tables.orders),
  staleMs: config.staleMs,
  blockedCheckMs: config.blockedCheckMs,
  concurrency: config.concurrency,
});
