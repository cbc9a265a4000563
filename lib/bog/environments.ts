/**
 * Where the bank lives. Production is the default; the bank's own test environment
 * and the local sandbox (one base URL for all of it) are chosen by configuration.
 */

export interface BankEndpoints {
  /** The Keycloak token endpoint. */
  tokenUrl: string;
  /** Base of the payments API, e.g. https://api.bog.ge/payments/v1 */
  apiBaseUrl: string;
}

/** `payment`: the host of the bank's payment page, where create-order's redirect link points. */
export const BANK_ENVIRONMENTS = {
  production: {
    auth: "https://oauth2.bog.ge",
    api: "https://api.bog.ge",
    payment: "https://payment.bog.ge",
  },
  test: {
    auth: "https://oauth2-sandbox.bog.ge",
    api: "https://api-sandbox.bog.ge",
    payment: "https://payment-sandbox.bog.ge",
  },
} as const;

export type BankEnvironment = keyof typeof BANK_ENVIRONMENTS;

const TOKEN_PATH = "/auth/realms/bog/protocol/openid-connect/token";
const API_PATH = "/payments/v1";

export function bankEndpoints(authBase: string, apiBase: string): BankEndpoints {
  const trim = (url: string) => url.replace(/\/+$/, "");
  return { tokenUrl: `${trim(authBase)}${TOKEN_PATH}`, apiBaseUrl: `${trim(apiBase)}${API_PATH}` };
}
