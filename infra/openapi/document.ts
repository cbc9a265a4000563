import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * The OpenAPI document (openapi.yaml at the repository's root) as the tools read it,
 * its operations by API Gateway route key, and the rule for its public part: what
 * `GET /openapi.json` serves. A merchant operation is one that requires the SigV4
 * scheme; the public part drops those, the webhooks, the security schemes and every
 * component only they use.
 */

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const OPENAPI_YAML = join(REPO_ROOT, "openapi.yaml");
/** The public part as JSON, imported by the list-products function (bundled, no YAML parser). */
export const PUBLIC_OPENAPI_JSON = join(REPO_ROOT, "lib", "openapi", "public-openapi.json");
const MERCHANT_SCHEME = "awsSigv4";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface OpenApiDocument extends JsonObject {
  openapi: string;
  paths: JsonObject;
}

export interface DocumentOperation {
  /** `GET /orders/{orderId}`, as API Gateway names routes. */
  routeKey: string;
  method: string;
  path: string;
  operation: JsonObject;
}

export function readOpenApi(path = OPENAPI_YAML): OpenApiDocument {
  return parse(readFileSync(path, "utf8")) as OpenApiDocument;
}

export const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function operations(doc: OpenApiDocument): DocumentOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = isObject(item) ? item[method] : undefined;
      return isObject(operation)
        ? [{ routeKey: `${method.toUpperCase()} ${path}`, method, path, operation }]
        : [];
    }),
  );
}

export function isMerchantOperation(operation: JsonObject): boolean {
  const security = operation.security;
  return (
    Array.isArray(security) &&
    security.some((requirement) => isObject(requirement) && MERCHANT_SCHEME in requirement)
  );
}

/** Every `#/components/...` reference reachable from `value`, following references. */
function reachableRefs(doc: OpenApiDocument, value: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) reachableRefs(doc, item, found);
  } else if (isObject(value)) {
    const ref = value.$ref;
    if (typeof ref === "string" && ref.startsWith("#/components/") && !found.has(ref)) {
      found.add(ref);
      reachableRefs(doc, resolvePointer(doc, ref), found);
    }
    for (const [key, item] of Object.entries(value))
      if (key !== "$ref") reachableRefs(doc, item, found);
  }
  return found;
}

/** The value a local reference (`#/a/b~1c`) points at. */
export function resolvePointer(doc: Json, ref: string): Json {
  let node: Json | undefined = doc;
  for (const raw of ref.replace(/^#\//, "").split("/")) {
    const part = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) ? node[part] : Array.isArray(node) ? node[Number(part)] : undefined;
    if (node === undefined) throw new Error(`${ref} points at nothing`);
  }
  return node;
}

/** The public API only: no merchant operation, no webhook, no security scheme, no unused component. */
export function publicPart(doc: OpenApiDocument): OpenApiDocument {
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isObject(item)) continue;
    const kept = Object.fromEntries(
      Object.entries(item).filter(
        ([key, value]) =>
          !(HTTP_METHODS as readonly string[]).includes(key) ||
          (isObject(value) && !isMerchantOperation(value)),
      ),
    );
    if (HTTP_METHODS.some((method) => method in kept)) paths[path] = kept;
  }
  const refs = reachableRefs(doc, paths);
  const components: JsonObject = {};
  for (const [kind, entries] of Object.entries(isObject(doc.components) ? doc.components : {})) {
    if (kind === "securitySchemes" || !isObject(entries)) continue;
    const used = Object.entries(entries).filter(([name]) =>
      refs.has(`#/components/${kind}/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`),
    );
    if (used.length > 0) components[kind] = Object.fromEntries(used);
  }
  const usedTags = new Set(
    operations({ ...doc, paths }).flatMap(({ operation }) =>
      Array.isArray(operation.tags) ? operation.tags : [],
    ),
  );
  const { webhooks: _webhooks, components: _components, tags, ...rest } = doc;
  return {
    ...rest,
    ...(Array.isArray(tags)
      ? { tags: tags.filter((tag) => isObject(tag) && usedTags.has(tag.name ?? "")) }
      : {}),
    paths,
    components,
  };
}

/** The committed JSON's exact text for a document's public part. */
export const publicJsonText = (doc: OpenApiDocument) =>
  `${JSON.stringify(publicPart(doc), null, 2)}\n`;
