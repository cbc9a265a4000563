import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2, Context, LambdaFunctionURLEvent } from "aws-lambda";

/**
 * Turns a local HTTP request into the event AWS would hand the same handler: API
 * Gateway HTTP API (payload v2) for the frontend routes, a Function URL event for
 * the bank's callback. The body is passed on untouched: as text when it is valid
 * UTF-8, else base64 (as AWS does for binary bodies), so the callback's signature
 * check sees the exact bytes that arrived.
 */

/** What an event is made of: a request as it arrived. */
export interface RequestParts {
  method: string;
  /** Path, with the query string if any. */
  url: string;
  headers?: Record<string, string>;
  /** The exact bytes that arrived. */
  body?: Buffer;
  /** Send the body base64-encoded even when it is text (AWS does for binary bodies). */
  base64?: boolean;
  host?: string;
  sourceIp?: string;
  userAgent?: string;
}

function partsOf(req: IncomingMessage, raw: Buffer): RequestParts {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return {
    method: req.method ?? "GET",
    url: req.url ?? "/",
    headers,
    body: raw,
    host: req.headers.host,
    sourceIp: req.socket.remoteAddress,
    userAgent: req.headers["user-agent"],
  };
}

function bodyOf(
  raw: Buffer | undefined,
  base64 = false,
): { body?: string; isBase64Encoded: boolean } {
  if (!raw || raw.length === 0) return { isBase64Encoded: false };
  if (!base64) {
    try {
      return {
        body: new TextDecoder("utf-8", { fatal: true }).decode(raw),
        isBase64Encoded: false,
      };
    } catch {
      // not text: base64, as AWS sends binary bodies
    }
  }
  return { body: raw.toString("base64"), isBase64Encoded: true };
}

/**
 * A path parameter as API Gateway hands it to the function: percent-decoded, except
 * that an escape that does not decode (`%E0%A4%A`, `%zz`) passes through as it came
 * instead of failing the request; the handler's own check of the value answers it.
 */
export function pathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** An API Gateway HTTP API (payload v2) event for `routeKey`. */
export function apiGatewayEventOf(
  parts: RequestParts,
  routeKey: string,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const host = parts.host ?? "localhost";
  const url = new URL(parts.url, `http://${host}`);
  const now = Date.now();
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: Object.fromEntries(
      Object.entries(parts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: host,
      domainPrefix: "local",
      http: {
        method: parts.method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: parts.sourceIp ?? "127.0.0.1",
        userAgent: parts.userAgent ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...bodyOf(parts.body, parts.base64),
  };
}

/** A Lambda Function URL event: the same payload v2 shape, route `$default`. */
export function functionUrlEventOf(parts: RequestParts): LambdaFunctionURLEvent {
  return apiGatewayEventOf(parts, "$default") as LambdaFunctionURLEvent;
}

export const apiGatewayEvent = (
  req: IncomingMessage,
  raw: Buffer,
  routeKey: string,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 => apiGatewayEventOf(partsOf(req, raw), routeKey, pathParameters);

export const functionUrlEvent = (req: IncomingMessage, raw: Buffer): LambdaFunctionURLEvent =>
  functionUrlEventOf(partsOf(req, raw));

/** A Lambda context whose remaining time runs down from `timeoutMs`, like the real one. */
export function lambdaContext(functionName: string, timeoutMs = 10_000): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
