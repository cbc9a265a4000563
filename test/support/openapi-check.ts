import {
  isObject,
  type JsonObject,
  operations,
  readOpenApi,
} from "../../infra/openapi/document.js";
import { DocumentSchemas, segment } from "../../infra/openapi/schema-validator.js";

/**
 * Every answer the tests get from a function or from `npm start` is checked against
 * openapi.yaml: its status must be one the operation documents, the headers that
 * matter must be the documented ones (required ones present, each value fitting its
 * schema, none of them undocumented), and its body must fit the documented media type
 * and schema (Ajv, JSON Schema 2020-12 with formats). A mismatch throws, failing the
 * test that made the request, whichever it is.
 */

const doc = readOpenApi();
const schemas = new DocumentSchemas(doc);
const ROUTES = operations(doc);

/** Headers whose presence or value a client relies on: each must be documented where it is sent. */
const SIGNIFICANT_HEADERS = ["cache-control", "retry-after", "allow", "etag", "www-authenticate"];

export interface CheckedAnswer {
  status: number;
  headers: Record<string, string | number | boolean | undefined>;
  body: string | undefined;
}

export type Target = { routeKey: string } | { webhook: string };

/** The documented route a method and path take (`{orderId}` matches one path segment), if any. */
export function documentedRoute(method: string, path: string): string | undefined {
  const wanted = method.toUpperCase();
  const exact = ROUTES.find((r) => r.routeKey === `${wanted} ${path}`);
  if (exact) return exact.routeKey;
  return ROUTES.find(
    (r) =>
      r.method.toUpperCase() === wanted &&
      new RegExp(`^${r.path.replace(/\{\w+\}/g, "[^/]+")}$`).test(path),
  )?.routeKey;
}

function operationPointer(target: Target): string {
  if ("webhook" in target) return `#/webhooks/${segment(target.webhook)}/post`;
  const route = ROUTES.find((r) => r.routeKey === target.routeKey);
  if (!route) throw new Error(`OpenAPI: ${target.routeKey} is not in openapi.yaml`);
  return `#/paths/${segment(route.path)}/${route.method}`;
}

const describe = (target: Target) =>
  "webhook" in target ? `webhook ${target.webhook}` : target.routeKey;

export function checkAnswer(target: Target, answer: CheckedAnswer): void {
  const name = `${describe(target)} → ${answer.status}`;
  const fail = (problem: string): never => {
    throw new Error(`OpenAPI: ${name}: ${problem}\n  body: ${(answer.body ?? "").slice(0, 500)}`);
  };
  const op = operationPointer(target);
  const responses = schemas.deref(`${op}/responses`).value;
  const status = String(answer.status);
  const key = isObject(responses)
    ? [status, `${status[0]}XX`, "default"].find((k) => k in responses)
    : undefined;
  if (key === undefined) fail(`the status ${status} is not documented for this operation`);
  const response = schemas.deref(`${op}/responses/${key}`);
  const documented = response.value as JsonObject;

  const headers = new Map(
    Object.entries(answer.headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const declared = isObject(documented.headers) ? Object.keys(documented.headers) : [];
  for (const headerName of declared) {
    const header = schemas.deref(`${response.pointer}/headers/${segment(headerName)}`);
    const value = headers.get(headerName.toLowerCase());
    if (value === undefined) {
      if (isObject(header.value) && header.value.required === true)
        fail(`the required header ${headerName} is missing`);
      continue;
    }
    const problems = schemas.problems(`${header.pointer}/schema`, value);
    if (problems.length > 0)
      fail(`header ${headerName}: ${JSON.stringify(value)} ${problems.join("; ")}`);
  }
  const declaredLower = new Set(declared.map((h) => h.toLowerCase()));
  for (const headerName of SIGNIFICANT_HEADERS) {
    if (headers.has(headerName) && !declaredLower.has(headerName))
      fail(`the header ${headerName} is sent but not documented`);
  }

  const content = isObject(documented.content) ? documented.content : undefined;
  const body = answer.body ?? "";
  if (!content) {
    if (body !== "") fail("a body where the document says there is none");
    return;
  }
  const mediaType = (headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!(mediaType in content))
    fail(
      `Content-Type ${JSON.stringify(mediaType)} is not one of ${Object.keys(content).join(", ")}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    fail("the body is not JSON");
  }
  const problems = schemas.problems(
    `${response.pointer}/content/${segment(mediaType)}/schema`,
    value,
  );
  if (problems.length > 0) fail(`the body does not fit its schema: ${problems.join("; ")}`);
}

/** Answers to requests under these origins (`npm start`s the tests run) are checked. */
const checkedOrigins = new Set<string>();
let installed = false;

/**
 * From now on, every `fetch` answer from `apiUrl` is checked: documented routes against
 * their operation, `/callback` against the bank callback webhook. Other paths (the demo
 * shop's files, /docs, local-only /_local routes, API Gateway's own 404 for a route it
 * does not have, CORS preflights) are not part of the document and pass unchecked.
 */
export function checkAnswersFrom(apiUrl: string): void {
  checkedOrigins.add(new URL(apiUrl).origin);
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!checkedOrigins.has(url.origin)) return response;
    const target: Target | undefined =
      url.pathname === "/callback"
        ? { webhook: "bankCallback" }
        : (() => {
            const routeKey = documentedRoute(request.method, url.pathname);
            return routeKey ? { routeKey } : undefined;
          })();
    if (target) {
      checkAnswer(target, {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.clone().text(),
      });
    }
    return response;
  };
}
