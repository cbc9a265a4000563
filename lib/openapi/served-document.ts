import { createHash } from "node:crypto";
import type { HttpResult } from "../http/response.js";

/**
 * `GET /openapi.json`: the public part of the OpenAPI document (generated from
 * openapi.yaml into public-openapi.json and bundled with the function), serialised
 * once per container, with a strong ETag over its bytes. Browsers and proxies may
 * keep it five minutes; a matching `If-None-Match` is a bodiless 304.
 */

const DOCUMENT_CACHE_CONTROL = "public, max-age=300";

export interface ServedDocument {
  body: string;
  etag: string;
}

export function servedDocument(document: unknown): ServedDocument {
  const body = JSON.stringify(document);
  const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
  return { body, etag };
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): `W/` is ignored, `*` matches anything. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}

export function documentAnswer(doc: ServedDocument, ifNoneMatch: string | undefined): HttpResult {
  const headers = { "cache-control": DOCUMENT_CACHE_CONTROL, etag: doc.etag };
  if (matches(ifNoneMatch, doc.etag)) return { statusCode: 304, headers, body: "" };
  return {
    statusCode: 200,
    headers: { "content-type": "application/json", ...headers },
    body: doc.body,
  };
}
