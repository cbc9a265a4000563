import publicDocument from "../../lib/openapi/public-openapi.json" with { type: "json" };
import { servedDocument } from "../../lib/openapi/served-document.js";
import { catalogOf, runtimeFromEnv } from "../../lib/runtime.js";
import { listProductsHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "list-products");
export const handler = listProductsHandler({
  catalog: catalogOf(runtime),
  // Bundled as JSON (generated from openapi.yaml by npm run openapi:build): no YAML at run time.
  document: servedDocument(publicDocument),
  log: runtime.log,
});
