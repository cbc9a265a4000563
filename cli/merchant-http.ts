import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Command } from "./merchant-args.js";

/**
 * One request to the merchant API (docs/merchant-api.md), signed or not, and what came back,
 * sorted the way the exit codes sort it: answered (2xx), refused (4xx), failed (5xx,
 * unreachable, timed out, unreadable). Signing is the AWS SDK's own SigV4 signer with
 * the SDK's credential chain; nothing here prints, and no header leaves this module.
 */

export interface ApiRequest {
  method: "GET" | "POST" | "DELETE";
  /** From the API's root: "/merchant/orders/…". */
  path: string;
  query: Record<string, string>;
  body?: Record<string, unknown>;
  idempotencyKey?: string;
}

/** The error shape of docs/api.md: `{ "error": { code, message, details? } }`. */
export interface ApiError {
  code: string | undefined;
  message: string;
  details: { path?: string; message: string }[];
  /** Seconds, from a `Retry-After` header in seconds. */
  retryAfter?: number;
}

export type ApiOutcome =
  | { kind: "answered"; status: number; text: string; body: unknown }
  | { kind: "refused"; status: number; text: string; error: ApiError }
  | { kind: "failed"; status?: number; text?: string; error: ApiError };

/** Signs a request in place of the caller: returns the same request with the auth headers. */
export type Signer = (request: HttpRequest) => Promise<HttpRequest>;

const REQUEST_TIMEOUT_MS = 30_000;

/** What each command asks of the API. A POST carries the key (one per invocation). */
export function requestFor(command: Command, idempotencyKey: string): ApiRequest {
  const order = (id: string) => `/merchant/orders/${encodeURIComponent(id)}`;
  switch (command.name) {
    case "orders list":
      return { method: "GET", path: "/merchant/orders", query: command.query };
    case "orders show":
      return {
        method: "GET",
        path: order(command.orderId),
        query: command.refresh ? { refresh: "true" } : {},
      };
    case "refund":
    case "capture":
    case "void":
      return {
        method: "POST",
        path: `${order(command.orderId)}/${command.name}`,
        query: {},
        body: withoutUndefined(command.body),
        idempotencyKey,
      };
    case "cards list":
      return {
        method: "GET",
        path: `/merchant/customers/${encodeURIComponent(command.customerRef)}/cards`,
        query: {},
      };
    case "cards charge":
      return {
        method: "POST",
        path: `/merchant/cards/${encodeURIComponent(command.cardId)}/charges`,
        query: {},
        body: withoutUndefined(command.body),
        idempotencyKey,
      };
    case "cards delete":
      return {
        method: "DELETE",
        path: `/merchant/cards/${encodeURIComponent(command.cardId)}`,
        query: {},
      };
  }
}

function withoutUndefined(body: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/**
 * SigV4 for API Gateway (`execute-api`) in `region`, with the SDK's default credential
 * chain (environment, SSO, profiles, process, web identity, container and instance
 * roles) unless credentials are given.
 */
export function sigV4Signer(
  region: string,
  credentials: ConstructorParameters<typeof SignatureV4>[0]["credentials"] = defaultProvider(),
): Signer {
  const signer = new SignatureV4({ service: "execute-api", region, credentials, sha256: Sha256 });
  return async (request) => (await signer.sign(request)) as HttpRequest;
}

/** RFC 3986 query encoding, the one SigV4 canonicalizes with (a space is %20, never +). */
function encodeQuery(query: Record<string, string>): string {
  const rfc3986 = (text: string) =>
    encodeURIComponent(text).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return Object.keys(query)
    .sort()
    .map((key) => `${rfc3986(key)}=${rfc3986(query[key] as string)}`)
    .join("&");
}

/** The API's root joined with a route, keeping any base path of the root ("/prod"). */
function routeUrl(base: URL, path: string): URL {
  const url = new URL(base);
  url.pathname = `${base.pathname.replace(/\/+$/, "")}${path}`;
  url.search = "";
  url.hash = "";
  return url;
}

export async function callApi(
  base: URL,
  request: ApiRequest,
  options: { signer?: Signer; timeoutMs?: number } = {},
): Promise<ApiOutcome> {
  const url = routeUrl(base, request.path);
  const headers: Record<string, string> = { host: url.host, accept: "application/json" };
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  if (request.idempotencyKey !== undefined) headers["idempotency-key"] = request.idempotencyKey;

  let sent = new HttpRequest({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port === "" ? undefined : Number(url.port),
    path: url.pathname,
    query: request.query,
    headers,
    body,
  });
  try {
    if (options.signer) sent = await options.signer(sent);
  } catch (error) {
    return failed(`could not sign the request with your AWS credentials: ${reason(error)}`);
  }
  // fetch sets Host itself, from the same URL the signature covered.
  const { host: _host, ...sentHeaders } = sent.headers;
  const search = encodeQuery(request.query);

  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url.origin}${url.pathname}${search ? `?${search}` : ""}`, {
      method: request.method,
      headers: sentHeaders,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError")
      return failed(`no answer from ${url.origin} within ${timeoutMs / 1000} s`);
    return failed(`could not reach ${url.origin}: ${reason(error)}`);
  }

  const { status } = response;
  const parsed = parseJson(text);
  if (status === 204) return { kind: "answered", status, text: "", body: {} };
  if (status >= 200 && status < 300) {
    if (parsed === undefined)
      return failed(`the API answered ${status} with a body that is not JSON`, status, text);
    return { kind: "answered", status, text, body: parsed };
  }
  const error = apiError(parsed, status, response.statusText);
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter !== null && /^\d+$/.test(retryAfter)) error.retryAfter = Number(retryAfter);
  if (status >= 400 && status < 500) return { kind: "refused", status, text, error };
  return { kind: "failed", status, text, error };
}

function failed(message: string, status?: number, text?: string): ApiOutcome {
  return { kind: "failed", status, text, error: { code: undefined, message, details: [] } };
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND…).
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The error of docs/api.md, or for a body from API Gateway itself (IAM's 403 `{"message"}`, a
 * throttling 429) the status and its message. IAM's "signature does not match" names
 * the canonical request it expected, which holds the session token: only the first
 * sentence is kept.
 */
function apiError(body: unknown, status: number, statusText: string): ApiError {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === "object" && error !== null) {
    const { code, message, details } = error as Record<string, unknown>;
    return {
      code: typeof code === "string" ? code : undefined,
      message: typeof message === "string" ? message : "",
      details: Array.isArray(details)
        ? details.map((d: { path?: unknown; message?: unknown }) => ({
            path: typeof d?.path === "string" ? d.path : undefined,
            message: typeof d?.message === "string" ? d.message : JSON.stringify(d),
          }))
        : [],
    };
  }
  const raw = (body as { message?: unknown; Message?: unknown } | undefined) ?? {};
  const message = typeof raw.message === "string" ? raw.message : raw.Message;
  return {
    code: undefined,
    message:
      typeof message === "string" ? firstSentence(message) : `${status} ${statusText}`.trim(),
    details: [],
  };
}

function firstSentence(text: string): string {
  const cut = text.split(/(?<=\.)\s|\n/)[0] ?? text;
  return cut.length > 300 ? `${cut.slice(0, 300)}…` : cut;
}
