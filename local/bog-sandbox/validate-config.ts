import {
  CAMPAIGN_CARDS,
  CAMPAIGN_TYPES,
  CARD_METHODS,
  type Capture,
  NO_CONFIG,
  type OrderConfig,
  type PaymentMethod,
} from "./order-model.js";

/**
 * The bank's rules for create-order's `config` (installments, card campaigns, the POS
 * account tag, wallets on the shop's own page), as its reference and reading notes
 * describe them; rules the bank does not write down but a correct client follows
 * anyway say "stricter". Each problem goes to `p` with its path.
 */

/** The bank gives no length for `config.account.tag`; the sandbox's own limit. */
export const MAX_ACCOUNT_TAG = 64;
/** Wallet tokens are a few kilobytes of JSON; anything longer is refused. */
export const MAX_WALLET_TOKEN = 16_384;
/** Loan terms the sandbox accepts (the bank's calculator offers a few of these). */
export const MAX_LOAN_MONTHS = 120;
const MAX_LOAN_TYPE = 64;

/** The Google Pay token that asks for 3-D Secure: the order waits on the payment page. */
export const SANDBOX_3DS_TOKEN = "sandbox-3ds";
/** The wallet token (Google Pay or Apple Pay) whose payment the card's bank declines. */
export const SANDBOX_DECLINE_TOKEN = "sandbox-decline";

type Json = Record<string, unknown>;
interface Problems {
  add(path: string, message: string): void;
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const absent = (value: unknown) => value === undefined || value === null;

function section(config: Json, key: string, p: Problems): Json | null {
  const value = config[key];
  if (absent(value)) return null;
  if (!isObject(value)) {
    p.add(`config.${key}`, "must be an object");
    return null;
  }
  return value;
}

function text(obj: Json, key: string, path: string, max: number, p: Problems): string | null {
  const value = obj[key];
  if (typeof value !== "string" || value.trim() === "") {
    p.add(path, "is required and must be a non-empty string");
    return null;
  }
  if (value.length > max) {
    p.add(path, `must be at most ${max} characters`);
    return null;
  }
  return value;
}

function external(obj: Json, path: string, p: Problems): boolean {
  const value = obj.external;
  if (absent(value)) return false;
  if (typeof value !== "boolean") {
    p.add(path, "must be true or false");
    return false;
  }
  return value;
}

function onlyMethod(methods: readonly PaymentMethod[], allowed: readonly PaymentMethod[]) {
  return methods.length === 1 && allowed.includes(methods[0] as PaymentMethod);
}

function loan(config: Json, methods: readonly PaymentMethod[], capture: Capture, p: Problems) {
  const raw = section(config, "loan", p);
  if (!raw) return null;
  if (!onlyMethod(methods, ["bog_loan", "bnpl"])) {
    p.add("config.loan", 'requires payment_method to be exactly ["bog_loan"] or ["bnpl"]');
  }
  if (capture === "manual") {
    p.add("config.loan", "cannot be used with capture manual (card, Apple Pay, Google Pay only)");
  }
  const type = text(raw, "type", "config.loan.type", MAX_LOAN_TYPE, p);
  const month = raw.month;
  const monthOk =
    typeof month === "number" && Number.isInteger(month) && month >= 1 && month <= MAX_LOAN_MONTHS;
  if (!monthOk) {
    p.add("config.loan.month", `must be a whole number of months from 1 to ${MAX_LOAN_MONTHS}`);
  }
  return type !== null && monthOk ? { type, month: month as number } : null;
}

function campaign(config: Json, methods: readonly PaymentMethod[], p: Problems) {
  const raw = section(config, "campaign", p);
  if (!raw) return null;
  const { card, type } = raw;
  const cardOk = (CAMPAIGN_CARDS as readonly unknown[]).includes(card);
  const typeOk = (CAMPAIGN_TYPES as readonly unknown[]).includes(type);
  if (!cardOk) p.add("config.campaign.card", `must be one of ${CAMPAIGN_CARDS.join(", ")}`);
  if (!typeOk) p.add("config.campaign.type", `must be one of ${CAMPAIGN_TYPES.join(", ")}`);
  if (methods.length > 0 && !methods.some((m) => CARD_METHODS.includes(m))) {
    p.add(
      "config.campaign",
      "needs a card payment method (card, google_pay or apple_pay) in payment_method (stricter)",
    );
  }
  return cardOk && typeOk
    ? {
        card: card as (typeof CAMPAIGN_CARDS)[number],
        type: type as (typeof CAMPAIGN_TYPES)[number],
      }
    : null;
}

function account(config: Json, p: Problems) {
  const raw = section(config, "account", p);
  if (!raw) return null;
  return text(raw, "tag", "config.account.tag", MAX_ACCOUNT_TAG, p);
}

function googlePay(config: Json, methods: readonly PaymentMethod[], p: Problems) {
  const raw = section(config, "google_pay", p);
  if (!raw) return null;
  const isExternal = external(raw, "config.google_pay.external", p);
  if (!isExternal) {
    if (!absent(raw.google_pay_token)) {
      p.add("config.google_pay.google_pay_token", "is only accepted with external true (stricter)");
    }
    return { external: false, token: null };
  }
  if (!onlyMethod(methods, ["google_pay"])) {
    p.add("config.google_pay", 'with external true requires payment_method ["google_pay"]');
  }
  const token = text(
    raw,
    "google_pay_token",
    "config.google_pay.google_pay_token",
    MAX_WALLET_TOKEN,
    p,
  );
  return { external: true, token };
}

function applePay(config: Json, methods: readonly PaymentMethod[], p: Problems) {
  const raw = section(config, "apple_pay", p);
  if (!raw) return null;
  const isExternal = external(raw, "config.apple_pay.external", p);
  if (isExternal && !onlyMethod(methods, ["apple_pay"])) {
    p.add("config.apple_pay", 'with external true requires payment_method ["apple_pay"]');
  }
  return { external: isExternal };
}

export function validateConfig(
  body: Json,
  methods: readonly PaymentMethod[],
  capture: Capture,
  p: Problems,
): OrderConfig {
  const raw = body.config;
  if (absent(raw)) return NO_CONFIG;
  if (!isObject(raw)) {
    p.add("config", "must be an object");
    return NO_CONFIG;
  }
  // Exclusive combinations (loan, Google Pay, Apple Pay) follow from their payment_method rules.
  return {
    loan: loan(raw, methods, capture, p),
    campaign: campaign(raw, methods, p),
    accountTag: account(raw, p),
    googlePay: googlePay(raw, methods, p),
    applePay: applePay(raw, methods, p),
  };
}
