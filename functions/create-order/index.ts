import { readOrderConfig } from "../../lib/config.js";
import { bankOf, catalogOf, ordersOf, runtimeFromEnv } from "../../lib/runtime.js";
import { createOrderHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "create-order");
export const handler = createOrderHandler({
  ...runtime,
  config: readOrderConfig(process.env),
  catalog: catalogOf(runtime),
  orders: ordersOf(runtime),
  bank: bankOf(runtime),
});
