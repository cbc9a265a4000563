import { invalidRequest } from "../domain-error.js";
import { ApiError } from "./api-error.js";

/**
 * Reading a request at the edge: headers by name whatever their case, the body's
 * raw bytes (API Gateway and Function URLs base64-encode some bodies), its size
 * limit, its media type, and JSON that refuses prototype-polluting keys.
 */

export interface HttpEventLike {
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
}

export function header(event: HttpEventLike, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The exact bytes the client sent. */
export function rawBody(event: HttpEventLike): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A JSON request body: checked for media type, size and forbidden keys, then parsed. */
export function jsonBody(event: HttpEventLike, maxBytes: number, emptyIsObject = false): unknown {
  // Some POSTs take only optional fields: no body at all means none of them.
  if (emptyIsObject && rawBody(event).length === 0) return {};
  const mediaType = (header(event, "content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "the body must be JSON (Content-Type: application/json)",
    );
  }
  const bytes = rawBody(event);
  if (bytes.length > maxBytes) {
    throw new ApiError(413, "payload_too_large", `the body must be at most ${maxBytes} bytes`);
  }
  if (bytes.length === 0) throw invalidRequest("the body is empty");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidRequest("the body is not valid UTF-8");
  }
  let forbidden: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return v;
    });
  } catch {
    throw invalidRequest("the body is not valid JSON");
  }
  if (forbidden !== undefined) throw invalidRequest(`the key "${forbidden}" is not allowed`);
  return value;
}
