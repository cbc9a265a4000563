import { setTimeout as sleep } from "node:timers/promises";
import { type Minor, minorFromNumber } from "./amounts.js";
import type { FaultTarget, OutcomeTarget } from "./faults.js";
import {
  bankError,
  header,
  json,
  mediaType,
  parseJson,
  parseJsonObject,
  type Reply,
} from "./http.js";
import {
  approve,
  cancelAuthorization,
  type Move,
  type OperationOutcome,
  pay,
  refund,
} from "./lifecycle.js";
import { isUuidV4 } from "./net.js";
import type { SandboxOrder } from "./order-model.js";
import { MAX_WALLET_TOKEN, OUR_READING } from "./readings.js";
import type { Handler, RequestContext, Route } from "./routes.js";
import type { Stats } from "./stats.js";
import { basicCredentials, expiresIn, sameSecret } from "./tokens.js";
import { SANDBOX_3DS_TOKEN, SANDBOX_DECLINE_TOKEN } from "./validate-config.js";
import { validateOrderRequest } from "./validate-order.js";

/** The bank's own endpoints, with the bank's paths, shapes and refusals. */

const TOKEN_PATH = /^\/auth\/realms\/bog\/protocol\/openid-connect\/token$/;
const ORDER_ID = "([^/]+)";

function keycloakError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}

/** An injected failure answers like an overloaded gateway in front of the bank. */
function faultReply(status: number): Reply {
  const headers: Record<string, string> =
    status === 429 || status === 503 ? { "retry-after": "1" } : {};
  return bankError(status, `Sandbox fault: HTTP ${status}`, headers);
}

export type BankHandler = (ctx: RequestContext, clientId: string) => Reply | Promise<Reply>;

/**
 * Counts the request, then applies an injected fault if one is due: a status
 * answers at once (after any delay) without the work; a bare delay does the work
 * and answers late.
 */
function faulted(target: FaultTarget & keyof Stats, work: Handler): Handler {
  return async (ctx) => {
    ctx.bank.stats[target] += 1;
    const fault = ctx.bank.faults.take(target);
    if (fault && fault.delayMs > 0 && fault.status) {
      await sleep(fault.delayMs, undefined, { ref: false });
    }
    if (fault?.status) return faultReply(fault.status);
    const reply = await work(ctx);
    if (fault && fault.delayMs > 0) await sleep(fault.delayMs, undefined, { ref: false });
    return reply;
  };
}

/** A bank API call: faults, then the Bearer token, then Idempotency-Key replay, then the work. */
export function bankEndpoint(target: FaultTarget & keyof Stats, handler: BankHandler): Handler {
  return faulted(target, (ctx) => authorised(ctx, target, handler));
}

async function authorised(
  ctx: RequestContext,
  target: string,
  handler: BankHandler,
): Promise<Reply> {
  const { bank, req } = ctx;
  const bearer = bank.tokens.check(header(req, "authorization"));
  if (!bearer.ok) {
    return bankError(401, bearer.reason, {
      "www-authenticate": `Bearer error="invalid_token", error_description="${bearer.reason}"`,
    });
  }
  // Every call that changes something takes an Idempotency-Key (POST, PUT, DELETE).
  if (req.method === "GET" || req.method === "HEAD") return handler(ctx, bearer.clientId);
  const key = header(req, "idempotency-key")?.trim();
  if (key === undefined) return handler(ctx, bearer.clientId);
  if (!isUuidV4(key)) return bankError(400, "Idempotency-Key must be a UUID v4");
  // The endpoint and its order as the bank reads them: `/refund/ABC` and `/refund/abc` are one.
  const scope = [target, ...ctx.params.map((p) => p.toLowerCase())].join("/");
  return bank.idempotency.once(bearer.clientId, scope, key, async () =>
    handler(ctx, bearer.clientId),
  );
}

function issueToken({ bank, req, body }: RequestContext): Reply {
  if (mediaType(req) !== "application/x-www-form-urlencoded") {
    return keycloakError(
      400,
      "invalid_request",
      "Content-Type must be application/x-www-form-urlencoded",
    );
  }
  const form = new URLSearchParams(body.toString("utf8"));
  const grantType = form.get("grant_type");
  if (!grantType)
    return keycloakError(400, "invalid_request", "Missing form parameter: grant_type");
  const credentials = basicCredentials(header(req, "authorization"));
  const client = credentials && bank.client(credentials.clientId);
  if (!credentials || !client || !sameSecret(credentials.clientSecret, client.clientSecret)) {
    return keycloakError(401, "invalid_client", "Invalid client or Invalid client credentials");
  }
  const { clientId } = client;
  if (grantType !== "client_credentials") {
    return keycloakError(400, "unsupported_grant_type", "Unsupported grant_type");
  }
  const lifetime = bank.config.tokenLifetimeSeconds;
  const { expiresInFormat, expiresInValue, tokenFormat } = bank.config;
  const issued = bank.tokens.issue(clientId, lifetime, tokenFormat);
  return json(200, {
    access_token: issued.token,
    expires_in: expiresIn(expiresInFormat, expiresInValue, lifetime, issued.expiresAtMs),
    refresh_expires_in: 0,
    token_type: "Bearer",
    "not-before-policy": 0,
    scope: "profile email",
  });
}

export const createOrder: BankHandler = (ctx, clientId) => {
  const { bank, req, body } = ctx;
  if (mediaType(req) !== "application/json") {
    return bankError(415, "Content-Type must be application/json");
  }
  const parsed = parseJson(body);
  if (!parsed.ok) return bankError(400, "Malformed JSON request body");
  const validation = validateOrderRequest(parsed.value, {
    acceptLanguage: header(req, "accept-language"),
    theme: header(req, "theme"),
  });
  if (!validation.ok) return bankError(400, validation.problems.join("; "));
  const order = bank.createOrder(clientId, validation.value);
  bank.log(`order ${order.id} created, ${order.items.length} item(s), total ${order.total} minor`);
  const details = { href: `${bank.baseUrl}/payments/v1/receipt/${order.id}` };
  const page = { href: `${bank.baseUrl}/?order_id=${order.id}` };
  const { googlePay, applePay } = order.config;
  if (applePay?.external) {
    // Apple Pay on the shop's page: the token comes next, to the accept link.
    return json(200, {
      id: order.id,
      result: "created",
      _links: { accept: { href: `${bank.baseUrl}${applePayPath(order.id)}` } },
    });
  }
  if (googlePay?.external) {
    if (googlePay.token === SANDBOX_3DS_TOKEN) {
      // The card's bank wants 3-D Secure: the customer finishes on the payment page.
      return json(200, { id: order.id, status: order.status, _links: { details, redirect: page } });
    }
    walletPayment(ctx, order, "google_pay", googlePay.token);
    return json(200, { id: order.id, status: order.status, _links: { details } });
  }
  return json(200, { id: order.id, _links: { details, redirect: page } });
};

const applePayPath = (id: string) => `/payments/v1/ecommerce/orders/${id}/payment`;

/**
 * A wallet's payment, made at once: the token pays (or, for SANDBOX_DECLINE_TOKEN,
 * is declined). The status moves before the answer is written; the callback is sent
 * alongside, not awaited, so it may reach the shop before or after the answer.
 */
function walletPayment(
  ctx: RequestContext,
  order: SandboxOrder,
  method: "google_pay" | "apple_pay",
  token: string | null,
): Move {
  const outcome = token === SANDBOX_DECLINE_TOKEN ? "rejected" : "completed";
  let move: Move = { ok: false, status: 500, message: "not applied" };
  const pending = ctx.bank.apply(order, (o, now) => {
    move = pay(o, outcome, method, now);
    return move;
  });
  void pending.catch((error: unknown) => ctx.bank.log(`callback for ${order.id} failed: ${error}`));
  return move;
}

/** `POST /ecommerce/orders/{id}/payment` `{apple_pay_token}`: pays an external Apple Pay order. */
const applePayPayment: BankHandler = (ctx, clientId) => {
  const order = ownOrder(ctx, clientId);
  if (!order) return bankError(400, "Invalid order_id");
  if (mediaType(ctx.req) !== "application/json") {
    return bankError(415, "Content-Type must be application/json");
  }
  const body = parseJsonObject(ctx.body);
  if (!body) return bankError(400, "Malformed JSON request body");
  const token = body.apple_pay_token;
  if (typeof token !== "string" || token.trim() === "") {
    return bankError(400, "apple_pay_token is required and must be a non-empty string");
  }
  if (token.length > MAX_WALLET_TOKEN) {
    return bankError(400, `apple_pay_token must be at most ${MAX_WALLET_TOKEN} characters`);
  }
  if (!order.config.applePay?.external) {
    return bankError(
      400,
      "Order was not created for Apple Pay on the shop's page (config.apple_pay.external)",
    );
  }
  const move = walletPayment(ctx, order, "apple_pay", token);
  if (!move.ok) return bankError(move.status, move.message);
  return json(200, {
    id: order.id,
    status: order.status,
    order_details: ctx.bank.receipt(order),
    _links: { details: { href: `${ctx.bank.baseUrl}/payments/v1/receipt/${order.id}` } },
  });
};

export function ownOrder(ctx: RequestContext, clientId: string) {
  const order = ctx.bank.find(ctx.params[0] ?? "");
  return order && order.clientId === clientId ? order : undefined;
}

const receipt: BankHandler = (ctx, clientId) => {
  const order = ownOrder(ctx, clientId);
  if (!order) return bankError(400, "Invalid order_id");
  return json(200, ctx.bank.receipt(order));
};

/** Reads an optional `{"amount": number}` body of refund and approve. */
function optionalAmountBody(
  ctx: RequestContext,
  takesAmount: boolean,
): { ok: true; amount: Minor | undefined } | { ok: false; reply: Reply } {
  if (ctx.body.length === 0) return { ok: true, amount: undefined };
  if (mediaType(ctx.req) !== "application/json") {
    return { ok: false, reply: bankError(415, "Content-Type must be application/json") };
  }
  const body = parseJsonObject(ctx.body);
  if (!body) return { ok: false, reply: bankError(400, "Malformed JSON request body") };
  const raw = body.amount;
  // Cancel takes `description` only: an amount there is an unknown field, ignored.
  if (!takesAmount || raw === undefined || raw === null) return { ok: true, amount: undefined };
  const amount = typeof raw === "number" && raw > 0 ? minorFromNumber(raw) : undefined;
  if (amount === undefined) {
    return {
      ok: false,
      reply: bankError(
        400,
        `amount must be a number greater than 0 with at most two decimal places ${OUR_READING}`,
      ),
    };
  }
  return { ok: true, amount };
}

type Operation = (
  order: SandboxOrder,
  amount: Minor | undefined,
  now: number,
  outcome: OperationOutcome,
) => Move;

/**
 * Refund, approve and cancel: the same checks, the bank's `request_received` answer.
 * A pending `outcome: "rejected"` fault is used up only by a request the bank accepts.
 */
function operation(target: OutcomeTarget, message: string, move: Operation): BankHandler {
  return async (ctx, clientId) => {
    const order = ownOrder(ctx, clientId);
    if (!order) return bankError(400, "Invalid order_id");
    const input = optionalAmountBody(ctx, target !== "cancel");
    if (!input.ok) return input.reply;
    const outcome: OperationOutcome = ctx.bank.faults.rejects(target) ? "rejected" : "completed";
    const { move: result } = await ctx.bank.apply(order, (o, now) =>
      move(o, input.amount, now, outcome),
    );
    if (!result.ok) return bankError(result.status, result.message);
    if (outcome === "rejected") ctx.bank.faults.takeRejection(target);
    return json(200, { key: "request_received", message, action_id: result.actionId ?? null });
  };
}

export const apiRoutes: Route[] = [
  { method: "POST", path: TOKEN_PATH, handler: faulted("token", issueToken) },
  {
    method: "POST",
    path: /^\/payments\/v1\/ecommerce\/orders$/,
    handler: bankEndpoint("createOrder", createOrder),
  },
  {
    method: "POST",
    path: new RegExp(`^/payments/v1/ecommerce/orders/${ORDER_ID}/payment$`),
    handler: bankEndpoint("applePay", applePayPayment),
  },
  {
    method: "GET",
    path: new RegExp(`^/payments/v1/receipt/${ORDER_ID}$`),
    handler: bankEndpoint("receipt", receipt),
  },
  {
    method: "POST",
    path: new RegExp(`^/payments/v1/payment/refund/${ORDER_ID}$`),
    handler: bankEndpoint(
      "refund",
      operation("refund", "Refund request received", (order, amount, now, outcome) =>
        refund(order, amount, "public_api", now, outcome),
      ),
    ),
  },
  {
    method: "POST",
    path: new RegExp(`^/payments/v1/payment/authorization/approve/${ORDER_ID}$`),
    handler: bankEndpoint(
      "approve",
      operation("approve", "Pre-authorization approval request received", approve),
    ),
  },
  {
    method: "POST",
    path: new RegExp(`^/payments/v1/payment/authorization/cancel/${ORDER_ID}$`),
    handler: bankEndpoint(
      "cancel",
      operation(
        "cancel",
        "Pre-authorization cancel request received",
        (order, _amount, now, outcome) => cancelAuthorization(order, now, outcome),
      ),
    ),
  },
];
