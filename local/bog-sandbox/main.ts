import { DEFAULT_OPTIONS } from "./options.js";
import { startSandbox } from "./sandbox.js";

/**
 * `npm run sandbox`: the BoG sandbox alone, in the foreground, on BOG_SANDBOX_PORT
 * (default 3100). Stops on Ctrl-C / SIGTERM.
 */

function port(): number {
  const raw = process.env.BOG_SANDBOX_PORT;
  if (raw === undefined || raw === "") return DEFAULT_OPTIONS.port;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`BOG_SANDBOX_PORT must be a port number (0-65535), got "${raw}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: port(),
    clientId: process.env.BOG_SANDBOX_CLIENT_ID || DEFAULT_OPTIONS.clientId,
    clientSecret: process.env.BOG_SANDBOX_CLIENT_SECRET || DEFAULT_OPTIONS.clientSecret,
    log: (line) => console.log(`[bog-sandbox] ${line}`),
  });
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

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  const message =
    code === "EADDRINUSE"
      ? `port ${process.env.BOG_SANDBOX_PORT ?? DEFAULT_OPTIONS.port} is already in use; set BOG_SANDBOX_PORT to a free port`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`bog-sandbox: ${message}`);
  process.exit(1);
});
