import { readFileSync, writeFileSync } from "node:fs";
import { PUBLIC_OPENAPI_JSON, publicJsonText, readOpenApi } from "./document.js";

/**
 * openapi.yaml's public part → lib/openapi/public-openapi.json, the JSON the
 * list-products function serves at GET /openapi.json (bundled: no YAML parser in
 * Lambda). `--check` writes nothing and fails if the committed file is not what
 * openapi.yaml gives (run `npm run openapi:build`).
 */

const expected = publicJsonText(readOpenApi());
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(PUBLIC_OPENAPI_JSON, "utf8");
  } catch {
    // missing: stale below
  }
  if (committed !== expected) {
    console.error(`${PUBLIC_OPENAPI_JSON} is stale: run npm run openapi:build`);
    process.exit(1);
  }
} else {
  writeFileSync(PUBLIC_OPENAPI_JSON, expected);
  console.log(`wrote ${PUBLIC_OPENAPI_JSON}`);
}
