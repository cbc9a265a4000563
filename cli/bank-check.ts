import { runBankCheck } from "./bank-check-command.js";

/**
 * `npm run bank:check [-- --callback-url URL | --after-pay ID]`: the product's bank
 * client against a bank environment (BOG_ENVIRONMENT=test, or BOG_BASE_URL). The
 * report goes to stdout, the credentials prompt and usage errors to stderr; the exit
 * codes are in bank-check-command.ts and docs/bank-check.md.
 */
runBankCheck(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  prompt: process.stderr,
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Not the bank's answer (those are in the report): a bug or the machine. No secret is in it.
    process.stderr.write(`bank:check: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  },
);
