import type { IncomingMessage } from "node:http";
import type { SandboxBank } from "./bank.js";
import type { Reply } from "./http.js";

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  /** The path's captured groups, decoded. */
  params: string[];
  body: Buffer;
  bank: SandboxBank;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: RegExp;
  handler: Handler;
}

/** Finds the route for a request; `methodNotAllowed` when only the method is wrong. */
export function match(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } | "methodNotAllowed" | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const found = route.path.exec(pathname);
    if (!found) continue;
    pathMatched = true;
    if (route.method === method || (route.method === "GET" && method === "HEAD")) {
      return { route, params: found.slice(1).map(decodeSegment) };
    }
  }
  return pathMatched ? "methodNotAllowed" : undefined;
}

/** A path segment, decoded; an undecodable escape is passed on as it came (the route then finds nothing). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
