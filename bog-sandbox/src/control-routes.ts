import { minorFromText, minorToNumber } from "./amounts.js";
import { CARD_TYPES, isOneOf, PAYMENT_METHODS } from "./document.js";
import { parseFault } from "./faults.js";
import { bankError, json, parseJson, parseJsonObject, type Reply } from "./http.js";
import { type CardChoice, defaultCard, type PayOutcome, pay, refund } from "./lifecycle.js";
import {
  EXPIRES_IN_FORMATS,
  type ExpiresInFormat,
  RUNTIME_LIMITS,
  type RuntimeConfig,
  TOKEN_FORMATS,
  type TokenFormat,
} from "./options.js";
import type { SandboxOrder } from "./order-model.js";
import type { RequestContext, Route } from "./routes.js";

/**
 * `/_sandbox/...`: what tests and demos use to drive the bank. Never present in
 * AWS. Errors use the bank's `{"message"}` shape; an unknown order is a 404 here.
 */

type Json = Record<string, unknown>;

function objectBody(ctx: RequestContext): { ok: true; value: Json } | { ok: false; reply: Reply } {
  const value = parseJsonObject(ctx.body);
  return value
    ? { ok: true, value }
    : { ok: false, reply: bankError(400, "the body must be a JSON object") };
}

function order(ctx: RequestContext) {
  return ctx.bank.find(ctx.params[0] ?? "");
}

const PAY_OUTCOMES: readonly PayOutcome[] = [
  "completed",
  "rejected",
  "processing",
  "auth_requested",
];

async function payOrder(ctx: RequestContext): Promise<Reply> {
  const target = order(ctx);
  if (!target) return bankError(404, "Invalid order_id");
  const body = objectBody(ctx);
  if (!body.ok) return body.reply;
  const { outcome, paymentMethod, cardType, cardExpiry } = body.value;
  if (!isOneOf(PAY_OUTCOMES, outcome)) {
    return bankError(400, `outcome must be one of ${PAY_OUTCOMES.join(", ")}`);
  }
  if (paymentMethod !== undefined && !isOneOf(PAYMENT_METHODS, paymentMethod)) {
    return bankError(400, `paymentMethod must be one of ${PAYMENT_METHODS.join(", ")}`);
  }
  // The document's card types, and "solo": a SOLO card of the bank (reported as "mc").
  if (cardType !== undefined && cardType !== "solo" && !isOneOf(CARD_TYPES, cardType)) {
    return bankError(400, `cardType must be one of ${CARD_TYPES.join(", ")}, solo`);
  }
  // A test's card that has run out (or any other MM/YY the bank may report).
  if (
    cardExpiry !== undefined &&
    (typeof cardExpiry !== "string" || !/^(0[1-9]|1[0-2])\/\d{2}$/.test(cardExpiry))
  ) {
    return bankError(400, "cardExpiry must be MM/YY");
  }
  const method = paymentMethod ?? target.paymentMethods[0] ?? "card";
  const chosen: CardChoice =
    cardType === undefined
      ? defaultCard(target)
      : cardType === "solo"
        ? { type: "mc", solo: true }
        : { type: cardType, solo: false };
  if (typeof cardExpiry === "string") chosen.expiry = cardExpiry;
  const { move, callback } = await ctx.bank.apply(
    target,
    (o, now) => pay(o, outcome, method, now, chosen),
    true,
  );
  if (!move.ok) return bankError(move.status, move.message);
  return json(200, { order_id: target.id, status: target.status, callback });
}

async function refundOrder(ctx: RequestContext): Promise<Reply> {
  const target = order(ctx);
  if (!target) return bankError(404, "Invalid order_id");
  const body = objectBody(ctx);
  if (!body.ok) return body.reply;
  const raw = body.value.amount;
  let amount: number | undefined;
  if (raw !== undefined && raw !== null) {
    amount = typeof raw === "string" ? minorFromText(raw) : undefined;
    if (amount === undefined || amount === 0) {
      return bankError(400, 'amount must be a decimal string greater than 0, like "5.00"');
    }
  }
  const { move, callback } = await ctx.bank.apply(
    target,
    (o, now) => refund(o, amount, "business_manager", now),
    true,
  );
  if (!move.ok) return bankError(move.status, move.message);
  return json(200, {
    key: "request_received",
    action_id: move.actionId ?? null,
    order_id: target.id,
    status: target.status,
    callback,
  });
}

function addFault(ctx: RequestContext): Reply {
  const body = parseJson(ctx.body);
  if (!body.ok) return bankError(400, "the body must be a JSON object");
  const fault = parseFault(body.value);
  if (!fault.ok) return bankError(400, fault.message);
  ctx.bank.faults.add(fault.value);
  return json(201, fault.value);
}

function advanceClock(ctx: RequestContext): Reply {
  const body = objectBody(ctx);
  if (!body.ok) return body.reply;
  const seconds = body.value.advanceSeconds;
  if (
    typeof seconds !== "number" ||
    !Number.isFinite(seconds) ||
    seconds < 0 ||
    seconds > 31_536_000
  ) {
    return bankError(400, "advanceSeconds must be a number of seconds from 0 to 31536000");
  }
  if (!ctx.bank.clock.advance(seconds * 1000)) {
    return bankError(400, "the clock goes at most 100 years ahead of real time");
  }
  ctx.bank.expireDue();
  return json(200, { now: new Date(ctx.bank.clock.now()).toISOString() });
}

function isWhole(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}

/** Validates a partial runtime config; every field is optional. */
function setConfig(ctx: RequestContext): Reply {
  const body = objectBody(ctx);
  if (!body.ok) return body.reply;
  const next: RuntimeConfig = { ...ctx.bank.config };
  const {
    tokenLifetimeSeconds,
    expiresInFormat,
    expiresInValue,
    tokenFormat,
    callbackRetryDelaysMs,
    callbackTimeoutMs,
    ...rest
  } = body.value;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return bankError(400, `unknown setting: ${unknown.join(", ")}`);
  const limits = RUNTIME_LIMITS;
  if (tokenLifetimeSeconds !== undefined) {
    const { min, max } = limits.tokenLifetimeSeconds;
    if (!isWhole(tokenLifetimeSeconds, min, max)) {
      return bankError(400, `tokenLifetimeSeconds must be a whole number from ${min} to ${max}`);
    }
    next.tokenLifetimeSeconds = tokenLifetimeSeconds;
  }
  if (expiresInFormat !== undefined) {
    if (!(EXPIRES_IN_FORMATS as readonly unknown[]).includes(expiresInFormat)) {
      return bankError(400, `expiresInFormat must be one of ${EXPIRES_IN_FORMATS.join(", ")}`);
    }
    next.expiresInFormat = expiresInFormat as ExpiresInFormat;
  }
  if (expiresInValue !== undefined) {
    if (
      expiresInValue !== null &&
      (typeof expiresInValue !== "number" || !Number.isFinite(expiresInValue))
    ) {
      return bankError(400, "expiresInValue must be a number (answered verbatim) or null");
    }
    next.expiresInValue = expiresInValue;
  }
  if (tokenFormat !== undefined) {
    if (!isOneOf(TOKEN_FORMATS, tokenFormat)) {
      return bankError(400, `tokenFormat must be one of ${TOKEN_FORMATS.join(", ")}`);
    }
    next.tokenFormat = tokenFormat as TokenFormat;
  }
  if (callbackRetryDelaysMs !== undefined) {
    const { min, max } = limits.callbackRetryDelayMs;
    if (
      !Array.isArray(callbackRetryDelaysMs) ||
      callbackRetryDelaysMs.length > limits.callbackRetries.max ||
      !callbackRetryDelaysMs.every((d) => isWhole(d, min, max))
    ) {
      return bankError(
        400,
        `callbackRetryDelaysMs must be an array of at most ${limits.callbackRetries.max} whole numbers from ${min} to ${max}`,
      );
    }
    next.callbackRetryDelaysMs = callbackRetryDelaysMs as number[];
  }
  if (callbackTimeoutMs !== undefined) {
    const { min, max } = limits.callbackTimeoutMs;
    if (!isWhole(callbackTimeoutMs, min, max)) {
      return bankError(400, `callbackTimeoutMs must be a whole number from ${min} to ${max}`);
    }
    next.callbackTimeoutMs = callbackTimeoutMs;
  }
  ctx.bank.config = next;
  return json(200, next);
}

/** The fields of `fields` that have a value. */
function sent(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

/**
 * The create-order options the sandbox kept for an order, in the bank's request
 * shape: what the receipt does not show (the bank's receipt has no config).
 */
function requestView(order: SandboxOrder) {
  const { loan, campaign, accountTag, googlePay, applePay } = order.config;
  return {
    order_id: order.id,
    application_type: order.applicationType,
    payment_method: order.paymentMethods,
    capture: order.capture,
    config: {
      // Each as the request sent it: a field left out stays out.
      loan: loan && sent(loan),
      campaign: campaign && sent(campaign),
      account: accountTag === null ? null : { tag: accountTag },
      google_pay: googlePay && {
        external: googlePay.external,
        google_pay_token: googlePay.token,
      },
      apple_pay: applePay,
    },
    basket: order.items.map((item) => ({
      product_id: item.productId,
      quantity: item.quantity,
      unit_price: minorToNumber(item.unitPrice),
      unit_discount_price: minorToNumber(item.unitDiscountPrice),
      product_discount_id: item.productDiscountId,
      // The document's other optional basket fields, where the request sent them.
      ...sent({
        vat: item.vat === null ? null : minorToNumber(item.vat),
        vat_percent: item.vatPercent,
        total_price: item.totalPrice === null ? null : minorToNumber(item.totalPrice),
        image: item.image,
        package_code: item.packageCode,
        tin: item.tin,
        pinfl: item.pinfl,
      }),
    })),
    delivery: order.delivery === 0 ? null : { amount: minorToNumber(order.delivery) },
    total_amount: minorToNumber(order.total),
    total_discount_amount: order.totalDiscount === null ? null : minorToNumber(order.totalDiscount),
  };
}

const ORDER = "/_sandbox/orders/([^/]+)";

export const controlRoutes: Route[] = [
  {
    method: "GET",
    path: /^\/_sandbox\/public-key$/,
    handler: (ctx) => ({
      status: 200,
      headers: { "content-type": "application/x-pem-file" },
      body: ctx.bank.publicKeyPem,
    }),
  },
  { method: "POST", path: new RegExp(`^${ORDER}/pay$`), handler: payOrder },
  { method: "POST", path: new RegExp(`^${ORDER}/refund$`), handler: refundOrder },
  {
    method: "GET",
    path: new RegExp(`^${ORDER}$`),
    handler: (ctx) => {
      const target = order(ctx);
      return target ? json(200, ctx.bank.receipt(target)) : bankError(404, "Invalid order_id");
    },
  },
  {
    method: "GET",
    path: new RegExp(`^${ORDER}/request$`),
    handler: (ctx) => {
      const target = order(ctx);
      return target ? json(200, requestView(target)) : bankError(404, "Invalid order_id");
    },
  },
  { method: "GET", path: /^\/_sandbox\/stats$/, handler: (ctx) => json(200, ctx.bank.stats) },
  {
    method: "GET",
    path: /^\/_sandbox\/faults$/,
    handler: (ctx) => json(200, { faults: ctx.bank.faults.list() }),
  },
  { method: "POST", path: /^\/_sandbox\/faults$/, handler: addFault },
  {
    method: "POST",
    path: /^\/_sandbox\/reset$/,
    handler: (ctx) => {
      ctx.bank.reset();
      return json(200, { reset: true });
    },
  },
  {
    method: "GET",
    path: /^\/_sandbox\/clock$/,
    handler: (ctx) => json(200, { now: new Date(ctx.bank.clock.now()).toISOString() }),
  },
  { method: "POST", path: /^\/_sandbox\/clock$/, handler: advanceClock },
  { method: "GET", path: /^\/_sandbox\/config$/, handler: (ctx) => json(200, ctx.bank.config) },
  { method: "POST", path: /^\/_sandbox\/config$/, handler: setConfig },
  {
    method: "GET",
    path: /^\/_sandbox\/callbacks$/,
    handler: (ctx) => json(200, { callbacks: ctx.bank.callbacks.list() }),
  },
];
