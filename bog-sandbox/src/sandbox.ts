import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { apiRoutes } from "./api-routes.js";
import { SandboxBank } from "./bank.js";
import { controlRoutes } from "./control-routes.js";
import { BodyTooLargeError, bankError, type Reply, readBody, send } from "./http.js";
import { DEFAULT_OPTIONS, type SandboxOptions } from "./options.js";
import { paymentPageRoutes } from "./payment-page.js";
import { match, type Route } from "./routes.js";
import { savedCardRoutes } from "./saved-cards.js";

/**
 * The BoG sandbox: a local emulator of the bank's auth, orders, receipt, refund
 * and pre-authorization APIs, its payment page and its signed callbacks, plus
 * `/_sandbox/...` control endpoints. Start it in-process (port 0 for tests) or
 * standalone with `npm run sandbox`.
 */

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:3100: the bank's auth, API and payment hosts in one. */
  url: string;
  /** The PEM public key the sandbox signs callbacks with. */
  publicKeyPem: string;
  clientId: string;
  clientSecret: string;
  bank: SandboxBank;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const EXPIRY_SWEEP_MS = 1000;

const routes: Route[] = [...apiRoutes, ...savedCardRoutes, ...controlRoutes, ...paymentPageRoutes];

function signingKey(pem: string | undefined): KeyObject {
  if (pem) return createPrivateKey(pem);
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

async function handle(bank: SandboxBank, req: IncomingMessage): Promise<Reply> {
  // The request target is a path; "//host/x" must not be read as another host.
  const target = req.url ?? "/";
  if (!target.startsWith("/")) return bankError(400, "Bad request target");
  let url: URL;
  try {
    url = new URL(`${bank.baseUrl}${target}`);
  } catch {
    return bankError(400, "Bad request target");
  }
  const found = match(routes, req.method ?? "GET", url.pathname);
  if (found === undefined) return bankError(404, "Not found");
  if (found === "methodNotAllowed") return bankError(405, "Method not allowed");
  let body: Buffer;
  try {
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return bankError(413, "Request body too large");
    throw error;
  }
  return found.route.handler({ req, url, params: found.params, body, bank });
}

export async function startSandbox(
  overrides: Partial<SandboxOptions> = {},
): Promise<RunningSandbox> {
  const options: SandboxOptions = { ...DEFAULT_OPTIONS, ...overrides };
  const bank = new SandboxBank(options, signingKey(options.privateKeyPem));

  const server: Server = createServer((req, res) => {
    handle(bank, req)
      .catch((error: unknown) => {
        // Never a crash: a bug answers 500 in the bank's shape and is logged.
        bank.log(
          `internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`,
        );
        return bankError(500, "Internal server error");
      })
      .then((reply) => {
        bank.log(`${req.method} ${req.url?.split("?")[0]} → ${reply.status}`);
        try {
          send(res, req.method === "HEAD" ? { ...reply, body: undefined } : reply);
        } catch (error) {
          // A header Node refuses to write: the request gets a 500, the process lives on.
          bank.log(`cannot send the answer to ${req.method} ${req.url}: ${String(error)}`);
          if (!res.headersSent) send(res, bankError(500, "Internal server error"));
          else res.destroy();
        }
      });
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  bank.baseUrl = `http://${host}:${port}`;

  const sweeper = setInterval(() => bank.expireDue(), EXPIRY_SWEEP_MS);
  sweeper.unref();

  return {
    url: bank.baseUrl,
    publicKeyPem: bank.publicKeyPem,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    bank,
    async stop() {
      clearInterval(sweeper);
      bank.callbacks.reset();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
