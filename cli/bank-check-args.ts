import { isLoopbackHost } from "../lib/loopback.js";

/**
 * The command line of `npm run bank:check -- …`. Where the bank is and who we are
 * come from the environment (BOG_ENVIRONMENT or BOG_BASE_URL; BOG_CLIENT_ID and
 * BOG_CLIENT_SECRET, else a prompt): credentials are never arguments.
 */

export class UsageError extends Error {
  override name = "UsageError";
}

export type BankCheckArgs =
  | { help: true }
  | { help: false; afterPay: string | undefined; callbackUrl: string };

/** Where the bank's callbacks for the test order go unless told: nowhere (`.invalid` never resolves). */
const PLACEHOLDER_CALLBACK_URL = "https://callback.example.invalid/bank-check";

export const USAGE = `usage: BOG_ENVIRONMENT=test npm run bank:check [-- --callback-url URL]
       BOG_ENVIRONMENT=test npm run bank:check -- --after-pay BANK_ORDER_ID

Checks the product's bank client against a bank environment: a token, a 0.01 GEL
order and its payment details, then (after a person paid it on the bank's page)
the result and a full refund. Prints a report; never prints a secret or a token.

environment:
  BOG_ENVIRONMENT     test (the bank's test hosts) or production (real money: 0.01 GEL)
  BOG_BASE_URL        one base URL for all of the bank instead, e.g. the local sandbox
  BOG_CLIENT_ID, BOG_CLIENT_SECRET
                      the credentials; when unset, asked for at a prompt that does not echo

options:
  --callback-url URL       where the bank sends the order's callbacks (https; http only
                           for localhost); default ${PLACEHOLDER_CALLBACK_URL}
  --after-pay ID           read the paid order's result and refund it in full
  --help                   this text

exit codes: 0 every check passed, 1 a check failed, 2 bad usage,
            3 the bank could not be reached`;

const UUIDISH = /^[A-Za-z0-9-]{1,100}$/;

export function parseBankCheckArgs(argv: readonly string[]): BankCheckArgs {
  let afterPay: string | undefined;
  let callbackUrl: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return { help: true };
    const [name, inline] = arg.startsWith("--") ? splitOption(arg) : [arg, undefined];
    if (name !== "--after-pay" && name !== "--callback-url") {
      throw new UsageError(
        arg.startsWith("-")
          ? `unknown option ${name}`
          : `unexpected argument (credentials are never taken from the command line)`,
      );
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || value === "") throw new UsageError(`${name} needs a value`);
    if (name === "--after-pay") {
      if (afterPay !== undefined) throw new UsageError("--after-pay given twice");
      if (!UUIDISH.test(value)) throw new UsageError("--after-pay takes the bank's order id");
      afterPay = value;
    } else {
      if (callbackUrl !== undefined) throw new UsageError("--callback-url given twice");
      callbackUrl = checkCallbackUrl(value);
    }
  }
  if (afterPay !== undefined && callbackUrl !== undefined) {
    throw new UsageError("--callback-url is for a new order, not with --after-pay");
  }
  return { help: false, afterPay, callbackUrl: callbackUrl ?? PLACEHOLDER_CALLBACK_URL };
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

/** The bank requires https; plain http only for a loopback host (the local sandbox). */
function checkCallbackUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError("--callback-url must be an absolute URL");
  }
  const ok =
    url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname));
  if (!ok) throw new UsageError("--callback-url must be https (http only for localhost)");
  return value;
}
