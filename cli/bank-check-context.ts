import { bankMessage, sendToBank } from "../lib/bog/bank-http.js";
import type { BogClient } from "../lib/bog/client.js";
import type { BankTarget } from "../lib/config.js";
import { BankRejectedError, BankResponseError } from "../lib/errors.js";
import type { Report } from "./bank-check-report.js";
import type { CheckTokens } from "./bank-check-token.js";

/** What each step of `npm run bank:check` works with. */
export interface CheckContext {
  target: BankTarget;
  client: BogClient;
  tokens: CheckTokens;
  report: Report;
  /** A deadline for one call to the bank, from now. */
  deadline(): number;
}

export const CALL_TIME_MS = 30_000;

/**
 * The payment details as the bank wrote them, for the field checks: the same request
 * the client makes, with the product's HTTP layer, kept as JSON instead of parsed.
 */
export async function rawPaymentDetails(
  ctx: CheckContext,
  bankOrderId: string,
): Promise<Record<string, unknown>> {
  const deadline = ctx.deadline();
  const response = await sendToBank(
    {
      operation: "receipt",
      method: "GET",
      url: `${ctx.target.endpoints.apiBaseUrl}/receipt/${encodeURIComponent(bankOrderId)}`,
      headers: {
        authorization: `Bearer ${await ctx.tokens.get(deadline)}`,
        accept: "application/json",
      },
      retrySafe: true,
    },
    { deadline },
  );
  if (response.status !== 200) {
    throw new BankRejectedError("receipt", response.status, bankMessage(response.text));
  }
  try {
    const value: unknown = JSON.parse(response.text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new BankResponseError("the bank's receipt answer is not a JSON object");
}
