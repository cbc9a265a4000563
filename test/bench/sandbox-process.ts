import { startSandbox } from "bog-sandbox";

/**
 * The BoG sandbox in a process of its own, so the bench's CPU figures are the
 * functions' alone. Prints one JSON line (its address, test credentials and callback
 * public key), then serves until SIGTERM.
 */
const sandbox = await startSandbox({ port: 0, callbackRetryDelaysMs: [20, 40, 80] });
process.on("SIGTERM", () => {
  sandbox.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
console.log(
  JSON.stringify({
    url: sandbox.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    publicKeyPem: sandbox.publicKeyPem,
  }),
);
