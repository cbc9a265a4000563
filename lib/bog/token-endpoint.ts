import { BankRejectedError, BankResponseError, BankUnauthorizedError } from "../errors.js";
import { bankMessage, type RetryPolicy, sendToBank } from "./bank-http.js";
import type { BankCredentials } from "./credentials.js";
import { tokenExpiry } from "./token-lifetime.js";

/**
 * The client-credentials request to the bank's Keycloak. Loaded only when a token
 * must actually be fetched (a warm container never imports it).
 */

export interface IssuedToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The token answer as the bank wrote it: `expires_in` unread, for `npm run bank:check` to describe. */
export interface TokenAnswer {
  accessToken: string;
  expiresIn: unknown;
  tokenType: unknown;
}

export async function requestBankToken(
  tokenUrl: string,
  credentials: BankCredentials,
  deadline: number,
  options: { policy?: RetryPolicy; now?: () => number } = {},
): Promise<IssuedToken> {
  const now = options.now ?? Date.now;
  const answer = await requestTokenAnswer(tokenUrl, credentials, deadline, options);
  return {
    accessToken: answer.accessToken,
    expiresAt: tokenExpiry(answer.accessToken, answer.expiresIn, now()),
  };
}

export async function requestTokenAnswer(
  tokenUrl: string,
  credentials: BankCredentials,
  deadline: number,
  options: { policy?: RetryPolicy; now?: () => number } = {},
): Promise<TokenAnswer> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
    "base64",
  );
  const response = await sendToBank(
    {
      operation: "token",
      method: "POST",
      url: tokenUrl,
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        // Stryker disable next-line StringLiteral: Keycloak (and the sandbox) answer the token request in JSON whatever the Accept header says
        accept: "application/json",
      },
      body: "grant_type=client_credentials",
      // Asking for a token changes nothing at the bank: always safe to retry.
      retrySafe: true,
    },
    { deadline, ...options },
  );
  if (response.status === 401 || /"(invalid_client|unauthorized_client)"/.test(response.text)) {
    throw new BankUnauthorizedError("the bank refused the client credentials (invalid_client)");
  }
  if (response.status !== 200) {
    throw new BankRejectedError("token", response.status, bankMessage(response.text));
  }
  let body: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new BankResponseError("the bank's token answer is not JSON");
  }
  if (typeof body.access_token !== "string" || body.access_token === "") {
    throw new BankResponseError("the bank's token answer has no access_token");
  }
  return { accessToken: body.access_token, expiresIn: body.expires_in, tokenType: body.token_type };
}
