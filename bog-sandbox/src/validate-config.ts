import {
  CAMPAIGN_CARDS,
  CAMPAIGN_TYPES,
  type CampaignCard,
  type CampaignType,
  isOneOf,
  LOAN_METHODS,
  type PaymentMethod,
} from "./document.js";
import { NO_CONFIG, type OrderConfig } from "./order-model.js";
import { MAX_TEXT, MAX_WALLET_TOKEN, OUR_READING } from "./readings.js";

/**
 * Create order's `config` (installments, card campaigns, the POS account tag, wallets
 * on the shop's own page), as the document describes it. Each problem goes to `p`
 * with its path; a rule the document does not state says so.
 */

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

/** A required non-empty text (the account tag, a wallet token). */
function text(obj: Json, key: string, path: string, max: number, p: Problems): string | null {
  const value = obj[key];
  if (typeof value !== "string" || value.trim() === "") {
    p.add(path, "is required and must be a non-empty string");
    return null;
  }
  if (value.length > max) {
    p.add(path, `must be at most ${max} characters ${OUR_READING}`);
    return null;
  }
  return value;
}

function optionalText(obj: Json, key: string, path: string, p: Problems): string | null {
  const value = obj[key];
  if (absent(value)) return null;
  if (typeof value !== "string") {
    p.add(path, "must be a string");
    return null;
  }
  if (value.length > MAX_TEXT) {
    p.add(path, `must be at most ${MAX_TEXT} characters ${OUR_READING}`);
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

/**
 * `config.loan` "is necessary if you wish the payment to be made only by installment
 * plan (["bog_loan"]) or only by bnpl (["bnpl"])"; `type` and `month` are each optional.
 */
function loan(config: Json | null, methods: readonly PaymentMethod[], p: Problems) {
  const raw = config ? section(config, "loan", p) : null;
  if (!raw) {
    if (onlyMethod(methods, LOAN_METHODS) && absent(config?.loan)) {
      p.add(
        "config.loan",
        `is necessary when payment_method is only ${JSON.stringify(methods)} (the document's config.loan)`,
      );
    }
    return null;
  }
  const type = optionalText(raw, "type", "config.loan.type", p);
  const month = raw.month;
  if (absent(month)) return { type, month: null };
  if (typeof month !== "number") {
    p.add("config.loan.month", "must be a number");
    return { type, month: null };
  }
  if (!Number.isSafeInteger(month) || month < 1) {
    p.add("config.loan.month", `must be a whole number of months, at least 1 ${OUR_READING}`);
    return { type, month: null };
  }
  return { type, month };
}

/** `config.campaign`: `card` and `type` each optional, each from the document's list. */
function campaign(config: Json, p: Problems) {
  const raw = section(config, "campaign", p);
  if (!raw) return null;
  let card: CampaignCard | null = null;
  let type: CampaignType | null = null;
  if (!absent(raw.card)) {
    if (isOneOf(CAMPAIGN_CARDS, raw.card)) card = raw.card;
    else p.add("config.campaign.card", `must be one of ${CAMPAIGN_CARDS.join(", ")}`);
  }
  if (!absent(raw.type)) {
    if (isOneOf(CAMPAIGN_TYPES, raw.type)) type = raw.type;
    else p.add("config.campaign.type", `must be one of ${CAMPAIGN_TYPES.join(", ")}`);
  }
  return { card, type };
}

function account(config: Json, p: Problems) {
  const raw = section(config, "account", p);
  if (!raw) return null;
  return optionalText(raw, "tag", "config.account.tag", p);
}

function googlePay(config: Json, methods: readonly PaymentMethod[], p: Problems) {
  const raw = section(config, "google_pay", p);
  if (!raw) return null;
  const isExternal = external(raw, "config.google_pay.external", p);
  if (!isExternal) {
    // Optional and a string, as the document says; only an external payment uses it.
    optionalText(raw, "google_pay_token", "config.google_pay.google_pay_token", p);
    return { external: false, token: null };
  }
  if (!onlyMethod(methods, ["google_pay"])) {
    p.add(
      "config.google_pay",
      `with external true requires payment_method ["google_pay"] ${OUR_READING}`,
    );
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
    p.add(
      "config.apple_pay",
      `with external true requires payment_method ["apple_pay"] ${OUR_READING}`,
    );
  }
  return { external: isExternal };
}

export function validateConfig(
  body: Json,
  methods: readonly PaymentMethod[],
  p: Problems,
): OrderConfig {
  const raw = body.config;
  if (absent(raw)) return { ...NO_CONFIG, loan: loan(null, methods, p) };
  if (!isObject(raw)) {
    p.add("config", "must be an object");
    return NO_CONFIG;
  }
  return {
    loan: loan(raw, methods, p),
    campaign: campaign(raw, p),
    accountTag: account(raw, p),
    googlePay: googlePay(raw, methods, p),
    applePay: applePay(raw, methods, p),
  };
}
