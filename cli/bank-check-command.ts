import { BogClient } from "../lib/bog/client.js";
import type { Env } from "../lib/config.js";
import {
  BankRejectedError,
  BankResponseError,
  BankUnauthorizedError,
  BankUnavailableError,
} from "../lib/errors.js";
import { checkAfterPay } from "./bank-check-after-pay.js";
import { parseBankCheckArgs, USAGE, UsageError } from "./bank-check-args.js";
import { CALL_TIME_MS, type CheckContext } from "./bank-check-context.js";
import { checkNewOrder } from "./bank-check-order.js";
import { Report } from "./bank-check-report.js";
import { bankCheckCredentials, bankCheckTarget, type Terminal } from "./bank-check-target.js";
import { CheckTokens, describeToken } from "./bank-check-token.js";

/**
 * `npm run bank:check`: the product's bank client (lib/bog) against a bank
 * environment, step by step, with a report. Exit codes: 0 every check passed, 1 a
 * check failed (the bank refused, or answered what the product does not expect),
 * 2 bad usage (nothing sent), 3 the bank could not be reached.
 */

export interface BankCheckIo extends Terminal {
  env: Env;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export async function runBankCheck(argv: readonly string[], io: BankCheckIo): Promise<number> {
  let args: ReturnType<typeof parseBankCheckArgs>;
  let target: ReturnType<typeof bankCheckTarget>;
  try {
    args = parseBankCheckArgs(argv);
    if (args.help) {
      io.stdout(USAGE);
      return 0;
    }
    target = bankCheckTarget(io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`bank:check: ${error.message}\n${USAGE}`);
    return 2;
  }
  let credentials: Awaited<ReturnType<typeof bankCheckCredentials>>;
  try {
    credentials = await bankCheckCredentials(io.env, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`bank:check: ${error.message}`);
    return 2;
  }

  const report = new Report(io.stdout);
  report.withhold(credentials.clientSecret);
  const tokens = new CheckTokens(target.endpoints.tokenUrl, credentials, report);
  const ctx: CheckContext = {
    target,
    tokens,
    report,
    client: new BogClient({ endpoints: target.endpoints, tokens }),
    deadline: () => Date.now() + CALL_TIME_MS,
  };
  report.line(`bank:check against ${describe(target)}`);
  report.line(`  token endpoint ${target.endpoints.tokenUrl}`);
  report.line(`  payments API   ${target.endpoints.apiBaseUrl}`);
  let exitCode: number | undefined;
  try {
    report.section("Token");
    describeToken(await tokens.fetch(ctx.deadline()), Date.now(), report);
    if (args.afterPay === undefined) await checkNewOrder(ctx, args.callbackUrl);
    else await checkAfterPay(ctx, args.afterPay);
  } catch (error) {
    exitCode = reportFailure(error, report);
  }
  const code = report.finish();
  return exitCode ?? code;
}

function describe(target: ReturnType<typeof bankCheckTarget>): string {
  switch (target.environment) {
    case "test":
      return "the bank's test environment (BOG_ENVIRONMENT=test)";
    case "production":
      return "the bank's PRODUCTION environment: real money (0.01 GEL)";
    case "base-url":
      return `BOG_BASE_URL ${target.paymentOrigin}`;
  }
}

/** A step the bank stopped: what it said, in the report. 3 when the bank was not reached. */
function reportFailure(error: unknown, report: Report): number | undefined {
  if (error instanceof BankUnauthorizedError) {
    report.failed(
      /client credentials/.test(error.message)
        ? "the bank refused the client id and secret (invalid_client): check that they are this environment's (the test environment has its own) and typed exactly"
        : `the bank refused our token: ${error.message}`,
    );
    return undefined;
  }
  if (error instanceof BankUnavailableError) {
    report.failed(`could not reach the bank: ${error.message} (is there a route from here to it?)`);
    return 3;
  }
  if (error instanceof BankRejectedError) {
    report.failed(
      `the bank refused ${error.operation} (HTTP ${error.status}): ${error.bankMessage}`,
    );
    return undefined;
  }
  if (error instanceof BankResponseError) {
    report.failed(`the bank's answer is not what the product can use: ${error.message}`);
    return undefined;
  }
  throw error;
}
