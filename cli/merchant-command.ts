import { randomUUID } from "node:crypto";
import { type Invocation, parseArgs, USAGE, UsageError } from "./merchant-args.js";
import {
  errorReport,
  formatCardList,
  formatCharge,
  formatOperation,
  formatOrder,
  formatOrderList,
} from "./merchant-format.js";
import { type ApiOutcome, callApi, requestFor } from "./merchant-http.js";
import { resolveTarget, TargetError } from "./merchant-target.js";

/**
 * `npm run merchant -- …` as a function of its arguments and environment, returning
 * the exit code (so that tests run it in-process as well as spawned):
 *
 *   0  done: the API answered 2xx (a refund, capture or void is then requested)
 *   1  the API refused (4xx): the error code and message are on stderr
 *   2  bad usage: unknown command or option, a malformed value; nothing was sent
 *   3  the service or the network failed (5xx, unreachable, no answer in time), or the
 *      request could not be sent (stack or AWS credentials not found)
 *
 * stdout has the answer only (a table, or with --json the API's JSON, also for an
 * error body); stderr has the messages. Credentials, signatures and headers are never
 * printed.
 */

const EXIT = { ok: 0, refused: 1, usage: 2, failed: 3 } as const;

export interface MerchantIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runMerchant(args: readonly string[], io: MerchantIo): Promise<number> {
  let invocation: Invocation;
  try {
    const parsed = parseArgs(args);
    if (parsed.help) {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    invocation = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(
      args.length === 0
        ? USAGE
        : `merchant: ${error.message}\n(npm run merchant -- --help lists the commands and options)`,
    );
    return EXIT.usage;
  }
  const { command, json } = invocation;
  const key = invocation.idempotencyKey ?? randomUUID();
  const request = requestFor(command, key);
  const retryKey = request.method === "POST" ? key : undefined;

  let outcome: ApiOutcome;
  try {
    const target = await resolveTarget(invocation.target, io.env);
    outcome = await callApi(target.base, request, { signer: target.signer });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`merchant: ${error.message}`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`merchant: ${error instanceof TargetError ? "" : "failed: "}${message}`);
    return EXIT.failed;
  }

  if (outcome.kind !== "answered") {
    if (json && outcome.text && isJson(outcome.text)) io.stdout(outcome.text.trim());
    io.stderr(errorReport(outcome.kind, outcome.status, outcome.error, retryKey).join("\n"));
    return outcome.kind === "refused" ? EXIT.refused : EXIT.failed;
  }
  if (json) io.stdout(outcome.text.trim() || "{}");
  else if (command.name === "orders list") io.stdout(formatOrderList(outcome.body));
  else if (command.name === "orders show") io.stdout(formatOrder(outcome.body));
  else if (command.name === "cards list") io.stdout(formatCardList(outcome.body));
  else if (command.name === "cards charge") io.stdout(formatCharge(outcome.body));
  else if (command.name === "cards delete") io.stdout(`Card ${command.cardId} deleted.`);
  else io.stdout(formatOperation(outcome.body, command.orderId));
  return EXIT.ok;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
