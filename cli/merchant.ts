import { runMerchant } from "./merchant-command.js";

/**
 * `npm run merchant -- COMMAND [OPTIONS]`: the merchant API (docs/merchant-api.md) from a
 * terminal. `--help` lists the commands; the exit codes are in merchant-command.ts and
 * docs/merchant-api.md ("Merchant CLI").
 */
runMerchant(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`merchant: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
