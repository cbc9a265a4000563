import { readOrderConfig } from "../../lib/config.js";
import {
  bankOf,
  cardsOf,
  merchantOf,
  operationsOf,
  orderListOf,
  ordersOf,
  runtimeFromEnv,
} from "../../lib/runtime.js";
import { merchantHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "merchant");
export const handler = merchantHandler({
  ...runtime,
  config: readOrderConfig(process.env),
  orders: ordersOf(runtime),
  operations: operationsOf(runtime),
  cards: cardsOf(runtime),
  list: orderListOf(runtime),
  bank: bankOf(runtime),
  merchant: merchantOf(runtime),
});
