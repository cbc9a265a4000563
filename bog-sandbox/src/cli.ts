#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_OPTIONS } from "./options.js";
import { startSandbox } from "./sandbox.js";

/**
 * `npx bog-sandbox`: the sandbox bank in the foreground until Ctrl-C / SIGTERM.
 * Options win over the environment (BOG_SANDBOX_PORT, BOG_SANDBOX_HOST,
 * BOG_SANDBOX_CLIENT_ID, BOG_SANDBOX_CLIENT_SECRET, BOG_SANDBOX_KEY), which wins over
 * the defaults.
 */

const USAGE = `Usage: bog-sandbox [options]

A local emulator of the Bank of Georgia online payments API (token, orders,
payment details, refunds, pre-authorizations, saved cards, wallets, the payment
page and signed callbacks), for developing and testing a shop's integration.

Options:
  --port <n>             port to listen on (default 3100; 0 picks a free one)
  --host <address>       address to listen on (default 127.0.0.1)
  --client-id <id>       the test client_id (default sandbox-client)
  --client-secret <s>    the test client_secret (default sandbox-secret)
  --key <file.pem>       RSA private key (PEM) to sign callbacks with
                         (default: generated at start; see GET /_sandbox/public-key)
  -h, --help             this text
`;

class UsageError extends Error {}

function portNumber(raw: string, name: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new UsageError(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return value;
}

function settings(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      key: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  const env = process.env;
  const portText = values.port ?? env.BOG_SANDBOX_PORT;
  const keyFile = values.key ?? env.BOG_SANDBOX_KEY;
  let privateKeyPem: string | undefined;
  if (keyFile) {
    try {
      privateKeyPem = readFileSync(keyFile, "utf8");
    } catch {
      throw new UsageError(`cannot read the key file ${keyFile}`);
    }
  }
  return {
    help: values.help === true,
    port:
      portText === undefined || portText === ""
        ? DEFAULT_OPTIONS.port
        : portNumber(portText, values.port === undefined ? "BOG_SANDBOX_PORT" : "--port"),
    portFrom: values.port === undefined ? "BOG_SANDBOX_PORT" : "--port",
    host: values.host || env.BOG_SANDBOX_HOST || DEFAULT_OPTIONS.host,
    clientId: values["client-id"] || env.BOG_SANDBOX_CLIENT_ID || DEFAULT_OPTIONS.clientId,
    clientSecret:
      values["client-secret"] || env.BOG_SANDBOX_CLIENT_SECRET || DEFAULT_OPTIONS.clientSecret,
    privateKeyPem,
  };
}

async function main(): Promise<void> {
  let chosen: ReturnType<typeof settings>;
  try {
    chosen = settings(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`bog-sandbox: ${message}`);
    // A bad value: exit 1; an unknown option (node:util's parseArgs): the usage, exit 2.
    if (error instanceof UsageError) process.exit(1);
    console.error(USAGE);
    process.exit(2);
  }
  if (chosen.help) {
    console.log(USAGE);
    return;
  }
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      port: chosen.port,
      host: chosen.host,
      clientId: chosen.clientId,
      clientSecret: chosen.clientSecret,
      ...(chosen.privateKeyPem ? { privateKeyPem: chosen.privateKeyPem } : {}),
      log: (line) => console.log(`[bog-sandbox] ${line}`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === "EADDRINUSE"
        ? `port ${chosen.port} is already in use; set ${chosen.portFrom} to a free port`
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(`bog-sandbox: ${message}`);
    process.exit(1);
  }
  // The handlers go in before the ready line: whoever reads that line may signal at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[bog-sandbox] ${signal}: stopping`);
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const u = sandbox.url;
  console.log(`BoG sandbox listening on ${u}
  token:          POST ${u}/auth/realms/bog/protocol/openid-connect/token
  create order:   POST ${u}/payments/v1/ecommerce/orders
  receipt:        GET  ${u}/payments/v1/receipt/{order_id}
  payment page:   ${u}/?order_id={order_id}
  callback key:   GET  ${u}/_sandbox/public-key
  test credentials: client id "${sandbox.clientId}", client secret "${sandbox.clientSecret}"
Press Ctrl-C to stop.`);
}

void main();
