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

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

function bodyOf(raw: Buffer): { body?: string; isBase64Encoded: boolean } {
  if (raw.length === 0) return { isBase64Encoded: false };
  try {
    return { body: new TextDecoder("utf-8", { fatal: true }).decode(raw), isBase64Encoded: false };
  } catch {
    return { body: raw.toString("base64"), isBase64Encoded: true };
  }
}

function requestContext(req: IncomingMessage, url: URL) {
  const now = Date.now();
  return {
    accountId: "000000000000",
    apiId: "local",
    domainName: url.host,
    domainPrefix: "local",
    http: {
      method: req.method ?? "GET",
      path: url.pathname,
      protocol: `HTTP/${req.httpVersion}`,
      sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      userAgent: req.headers["user-agent"] ?? "",
    },
    requestId: randomUUID(),
    stage: "$default",
    time: new Date(now).toUTCString(),
    timeEpoch: now,
  };
}

export function apiGatewayEvent(
  req: IncomingMessage,
  raw: Buffer,
  routeKey: string,
  pathParameters?: Record<string, string>,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: headersOf(req),
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters,
    requestContext: { ...requestContext(req, url), routeKey },
    ...bodyOf(raw),
  };
}

export function functionUrlEvent(req: IncomingMessage, raw: Buffer): LambdaFunctionURLEvent {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: headersOf(req),
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: { ...requestContext(req, url), routeKey: "$default" },
    ...bodyOf(raw),
  } as LambdaFunctionURLEvent;
}

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
