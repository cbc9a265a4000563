import { catalogOf, runtimeFromEnv } from "../../lib/runtime.js";
import { listProductsHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "list-products");
export const handler = listProductsHandler({ catalog: catalogOf(runtime), log: runtime.log });
