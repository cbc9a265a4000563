import type { RunningSandbox } from "../../src/sandbox.js";
import type { Stats } from "../../src/stats.js";

/** Plain HTTP calls to the sandbox, as a bank client would make them. */

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

async function answer<T = Record<string, unknown>>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

export async function requestToken(
  sandbox: RunningSandbox,
  init: { authorization?: string; form?: string; contentType?: string } = {},
): Promise<Answer> {
  const response = await fetch(`${sandbox.url}/auth/realms/bog/protocol/openid-connect/token`, {
    method: "POST",
    headers: {
      "content-type": init.contentType ?? "application/x-www-form-urlencoded",
      authorization: init.authorization ?? basic(sandbox.clientId, sandbox.clientSecret),
    },
    body: init.form ?? "grant_type=client_credentials",
  });
  return answer(response);
}

export async function token(sandbox: RunningSandbox): Promise<string> {
  const { status, body } = await requestToken(sandbox);
  if (status !== 200) throw new Error(`token request failed: ${status}`);
  return body.access_token as string;
}

/** A valid order body: 2 × 12.50 + 1 × 3.00 = 28.00 GEL. */
export function validOrder(callbackUrl: string, overrides: Record<string, unknown> = {}) {
  return {
    callback_url: callbackUrl,
    external_order_id: "shop-order-1",
    purchase_units: {
      currency: "GEL",
      total_amount: 28,
      basket: [
        { product_id: "sku-cup", description: "Espresso cup", quantity: 2, unit_price: 12.5 },
        { product_id: "sku-spoon", description: "Spoon", quantity: 1, unit_price: 3 },
      ],
    },
    redirect_urls: { success: "http://127.0.0.1:9/success", fail: "http://127.0.0.1:9/fail" },
    ...overrides,
  };
}

export async function post(
  sandbox: RunningSandbox,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return answer(response);
}

export async function get(
  sandbox: RunningSandbox,
  path: string,
  headers: Record<string, string> = {},
) {
  return answer(await fetch(`${sandbox.url}${path}`, { headers }));
}

export async function createOrder(
  sandbox: RunningSandbox,
  accessToken: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return post(sandbox, "/payments/v1/ecommerce/orders", body, {
    authorization: `Bearer ${accessToken}`,
    ...headers,
  });
}

export async function stats(sandbox: RunningSandbox): Promise<Stats> {
  return (await get(sandbox, "/_sandbox/stats")).body as unknown as Stats;
}
