import type { BankCredentials } from "../lib/bog/credentials.js";
import { type BankTarget, type Env, readBankTarget } from "../lib/config.js";
import { ConfigError } from "../lib/errors.js";
import { UsageError } from "./bank-check-args.js";
import { readCredentials, validateCredentials } from "./credentials-input.js";

/**
 * Which bank `npm run bank:check` talks to, and as whom. The bank must be named
 * (BOG_ENVIRONMENT or BOG_BASE_URL): unlike the functions, the check does not default
 * to production, where its order would be real money. Credentials: BOG_CLIENT_ID and
 * BOG_CLIENT_SECRET, as the local stack reads them, else the no-echo prompt of
 * `npm run bog:credentials`.
 */

export function bankCheckTarget(env: Env): BankTarget {
  const named = (name: string) => (env[name] ?? "").trim() !== "";
  if (!named("BOG_ENVIRONMENT") && !named("BOG_BASE_URL")) {
    throw new UsageError(
      "say which bank: BOG_ENVIRONMENT=test for the bank's test environment (or BOG_BASE_URL=http://127.0.0.1:3100 for the local sandbox)",
    );
  }
  try {
    return readBankTarget(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export interface Terminal {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the prompt goes (stderr: stdout carries the report). */
  prompt: NodeJS.WritableStream;
}

export async function bankCheckCredentials(env: Env, terminal: Terminal): Promise<BankCredentials> {
  const clientId = env.BOG_CLIENT_ID?.trim() ?? "";
  const clientSecret = env.BOG_CLIENT_SECRET?.trim() ?? "";
  if (clientId !== "" && clientSecret !== "") {
    try {
      return validateCredentials(clientId, clientSecret);
    } catch (error) {
      throw new UsageError(`BOG_CLIENT_ID / BOG_CLIENT_SECRET: ${(error as Error).message}`);
    }
  }
  if (clientId !== "" || clientSecret !== "") {
    throw new UsageError(
      `${clientId === "" ? "BOG_CLIENT_ID" : "BOG_CLIENT_SECRET"} is required with the other (or set neither, to be asked)`,
    );
  }
  try {
    return await readCredentials(terminal.stdin, terminal.prompt);
  } catch (error) {
    throw new UsageError(`credentials: ${(error as Error).message}`);
  }
}
