import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";

/** One request as the shop's backend received it, its body byte for byte. */
export interface Received {
  raw: Buffer;
  headers: IncomingMessage["headers"];
  path: string;
}

/** How the shop's backend answers one request. */
export type Reply = (res: ServerResponse) => void;

/** A reply with this status and headers, and no body. */
export const status =
  (code: number, headers: Record<string, string> = {}): Reply =>
  (res) =>
    res.writeHead(code, headers).end();

/**
 * A shop's webhook backend for one test file, over real HTTP on loopback: it answers each
 * request with the next scripted reply (204 when none is left) and keeps what it got.
 * Both lists are emptied before each test.
 */
export function useScriptedReceiver(): {
  readonly url: string;
  readonly received: Received[];
  /** The replies to the next requests, in order, replacing any left. */
  script(...next: Reply[]): void;
} {
  let server: Server;
  let url = "";
  const received: Received[] = [];
  const replies: Reply[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ raw: Buffer.concat(chunks), headers: req.headers, path: req.url ?? "" });
        const reply = replies.shift();
        if (reply) reply(res);
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bog-events`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
    replies.length = 0;
  });
  return {
    get url() {
      return url;
    },
    received,
    script: (...next) => void replies.splice(0, replies.length, ...next),
  };
}
