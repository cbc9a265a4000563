import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * `/docs` under npm start (local only, never in AWS): openapi.yaml rendered by Swagger
 * UI, whose files come from the swagger-ui-dist package in node_modules. The document
 * is read on each request, so an edit shows on reload; here it is whole (merchant API
 * and webhooks too), while `GET /openapi.json` answers the public part, as in AWS.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const OPENAPI_YAML = join(HERE, "..", "openapi.yaml");
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

const FILES: Record<string, { path: string; type: string }> = {
  "/docs": { path: join(HERE, "docs", "index.html"), type: "text/html; charset=utf-8" },
  "/docs/docs.js": { path: join(HERE, "docs", "docs.js"), type: "text/javascript; charset=utf-8" },
  "/docs/swagger-ui.css": {
    path: join(SWAGGER_UI, "swagger-ui.css"),
    type: "text/css; charset=utf-8",
  },
  "/docs/swagger-ui-bundle.js": {
    path: join(SWAGGER_UI, "swagger-ui-bundle.js"),
    type: "text/javascript; charset=utf-8",
  },
};

/** The file a `/docs` path serves, or undefined for any other path. */
export async function docsFile(
  pathname: string,
): Promise<{ type: string; body: string | Buffer } | undefined> {
  if (pathname === "/docs/openapi.json") {
    const document = parse(await readFile(OPENAPI_YAML, "utf8"));
    return { type: "application/json", body: JSON.stringify(document) };
  }
  const file = FILES[pathname];
  return file && { type: file.type, body: await readFile(file.path) };
}
