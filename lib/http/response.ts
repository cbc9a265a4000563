import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { ApiError } from "./api-error.js";

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}

/** `204 No Content`: done, nothing to say. */
export function noContent(): HttpResult {
  return { statusCode: 204, headers: { "cache-control": "no-store" }, body: "" };
}

export function errorResult(error: ApiError): HttpResult {
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
  };
  return json(error.status, body, error.headers);
}
