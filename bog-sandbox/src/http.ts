import type { IncomingMessage, ServerResponse } from "node:http";

/** What a sandbox handler answers; the server writes it. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as compact JSON. */
  body?: unknown;
}

/** The bank publishes no error format; the observed one is `{"message": "..."}`. */
export function bankError(
  status: number,
  message: string,
  headers?: Record<string, string>,
): Reply {
  return headers ? { status, headers, body: { message } } : { status, body: { message } };
}

export function json(status: number, body: unknown): Reply {
  return { status, body };
}

export function html(status: number, page: string): Reply {
  return { status, headers: { "content-type": "text/html; charset=utf-8" }, body: page };
}

export function redirect(location: string): Reply {
  return { status: 303, headers: { location } };
}

export class BodyTooLargeError extends Error {}

/** Reads the whole body, refusing more than `limit` bytes without buffering them. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { "cache-control": "no-store", ...reply.headers };
  let payload: string | undefined;
  if (typeof reply.body === "string") payload = reply.body;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers["content-type"] ??= "application/json";
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The media type of a request, lower-cased, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a JSON body; undefined when it is not JSON. An empty body is `{}` where allowed. */
export function parseJson(
  raw: Buffer,
  emptyAs?: unknown,
): { ok: true; value: unknown } | { ok: false } {
  if (raw.length === 0 && emptyAs !== undefined) return { ok: true, value: emptyAs };
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

/** A body that must be a JSON object, where an empty body means `{}`; undefined otherwise. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> | undefined {
  if (raw.length === 0) return {};
  const parsed = parseJson(raw);
  if (!parsed.ok) return undefined;
  const value = parsed.value;
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
