import { readFileSync } from "node:fs";
import { BOG_CALLBACK_PUBLIC_KEY_PEM } from "./bog/bank-callback-key.js";
import {
  BANK_ENVIRONMENTS,
  type BankEndpoints,
  type BankEnvironment,
  bankEndpoints,
} from "./bog/environments.js";
import { CAMPAIGN_CARDS, CAMPAIGN_TYPES, type CampaignConfig } from "./bog/order-options.js";
import { CURRENCIES, isOneOf } from "./bog/vocabulary.js";
import { ConfigError } from "./errors.js";
import { isLoopbackHost } from "./loopback.js";
import { MAX_AMOUNT, type Minor, parseAmount } from "./money.js";
import type { DeliveryFees } from "./orders/checkout/pricing.js";

/**
 * Settings, read from the environment once at cold start into typed objects. Each
 * function reads the sections it needs; a missing or malformed setting throws a
 * ConfigError that names it, so the function fails fast instead of at the first
 * payment.
 */

export type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(name, "is required");
  return value;
}

function httpUrl(name: string, value: string, allowHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, "must be an absolute URL");
  }
  if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) {
    throw new ConfigError(name, allowHttp ? "must be an http(s) URL" : "must be an https URL");
  }
  return value;
}

export interface BankConfig {
  endpoints: BankEndpoints;
  /** Where the bank's client id and secret come from. */
  credentials:
    | { source: "secretsManager"; secretId: string; maxAgeMs: number }
    | { source: "environment"; clientId: string; clientSecret: string };
}

/** Where the bank is: its endpoints, and the origin of its payment page (create-order's redirect). */
export interface BankTarget {
  endpoints: BankEndpoints;
  paymentOrigin: string;
  /** The environment named, or "base-url" when BOG_BASE_URL (one host for all) chose it. */
  environment: BankEnvironment | "base-url";
}

/** BOG_BASE_URL, else BOG_ENVIRONMENT (default production): see readBankConfig. */
export function readBankTarget(env: Env): BankTarget {
  const base = optional(env, "BOG_BASE_URL");
  const environment = optional(env, "BOG_ENVIRONMENT") ?? "production";
  if (!(environment in BANK_ENVIRONMENTS)) {
    throw new ConfigError(
      "BOG_ENVIRONMENT",
      `must be one of ${Object.keys(BANK_ENVIRONMENTS).join(", ")}`,
    );
  }
  if (base) {
    httpUrl("BOG_BASE_URL", base, true);
    return {
      endpoints: bankEndpoints(base, base),
      paymentOrigin: new URL(base).origin,
      environment: "base-url",
    };
  }
  const hosts = BANK_ENVIRONMENTS[environment as BankEnvironment];
  return {
    endpoints: bankEndpoints(hosts.auth, hosts.api),
    paymentOrigin: hosts.payment,
    environment: environment as BankEnvironment,
  };
}

const DEFAULT_SECRET_MAX_AGE_MS = 15 * 60 * 1000;

/**
 * BOG_ENVIRONMENT (production | test, default production) picks the bank's hosts;
 * BOG_BASE_URL overrides both with one URL (the local sandbox; http allowed).
 * Credentials: BOG_CREDENTIALS_SECRET_ID (Secrets Manager), or, for local use only,
 * BOG_CLIENT_ID + BOG_CLIENT_SECRET. Exactly one of the two.
 */
export function readBankConfig(env: Env): BankConfig {
  const { endpoints } = readBankTarget(env);

  const secretId = optional(env, "BOG_CREDENTIALS_SECRET_ID");
  const clientId = optional(env, "BOG_CLIENT_ID");
  const clientSecret = optional(env, "BOG_CLIENT_SECRET");
  if (secretId && (clientId || clientSecret)) {
    throw new ConfigError(
      "BOG_CREDENTIALS_SECRET_ID",
      "must not be combined with BOG_CLIENT_ID/BOG_CLIENT_SECRET: set one source of credentials",
    );
  }
  if (secretId) {
    const maxAge = optional(env, "BOG_CREDENTIALS_MAX_AGE_SECONDS");
    let maxAgeMs = DEFAULT_SECRET_MAX_AGE_MS;
    if (maxAge !== undefined) {
      const seconds = Number(maxAge);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) {
        throw new ConfigError(
          "BOG_CREDENTIALS_MAX_AGE_SECONDS",
          "must be a whole number from 0 to 86400",
        );
      }
      maxAgeMs = seconds * 1000;
    }
    return { endpoints, credentials: { source: "secretsManager", secretId, maxAgeMs } };
  }
  if (clientId && clientSecret) {
    return { endpoints, credentials: { source: "environment", clientId, clientSecret } };
  }
  if (clientId || clientSecret) {
    throw new ConfigError(
      clientId ? "BOG_CLIENT_SECRET" : "BOG_CLIENT_ID",
      "is required with the other",
    );
  }
  throw new ConfigError(
    "BOG_CREDENTIALS_SECRET_ID",
    "is required (or BOG_CLIENT_ID and BOG_CLIENT_SECRET for local use)",
  );
}

export interface TablesConfig {
  orders: string;
  bankToken: string;
  catalog: string;
  /** A local DynamoDB (DynamoDB Local); unset in AWS. */
  endpoint: string | undefined;
}

export function readTablesConfig(env: Env): TablesConfig {
  const endpoint = optional(env, "DYNAMODB_ENDPOINT");
  return {
    orders: required(env, "ORDERS_TABLE"),
    bankToken: required(env, "BANK_TOKEN_TABLE"),
    catalog: required(env, "CATALOG_TABLE"),
    endpoint: endpoint === undefined ? undefined : httpUrl("DYNAMODB_ENDPOINT", endpoint, true),
  };
}

/**
 * BOG_CALLBACK_PUBLIC_KEY: PEM text, or a path to a PEM file; default the bank's
 * published key.
 */
export function readCallbackPublicKeyPem(env: Env): string {
  const value = optional(env, "BOG_CALLBACK_PUBLIC_KEY");
  if (value === undefined) return BOG_CALLBACK_PUBLIC_KEY_PEM;
  if (value.includes("-----BEGIN")) return value.replace(/\\n/g, "\n");
  try {
    return readFileSync(value, "utf8");
  } catch {
    throw new ConfigError("BOG_CALLBACK_PUBLIC_KEY", "is neither PEM text nor a readable PEM file");
  }
}

function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** An https URL; plain http only for a loopback host (local development). */
function shopUrl(name: string, value: string): string {
  httpUrl(name, value, true);
  const url = new URL(value);
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(name, "must be an https URL (http only for localhost)");
  }
  return value;
}

export interface OrderConfig {
  /** Where the bank sends callbacks: the callback function's URL. */
  callbackUrl: string;
  /** Shop pages the bank sends the buyer back to; `{orderId}` is replaced. */
  successUrlTemplate: string | undefined;
  failUrlTemplate: string | undefined;
  maxBodyBytes: number;
  maxItems: number;
  defaultTtlMinutes: number;
  deliveryFees: DeliveryFees;
  /** The shop's setting, never the browser's: manual makes every order a pre-authorization. */
  captureMode: CaptureMode;
  /** The shop's card campaign for public orders (BOG_CAMPAIGN, `card:type`), if any. */
  campaign: CampaignConfig | undefined;
  /** The POS terminal / settlement account for public orders (BOG_ACCOUNT_TAG), if any. */
  accountTag: string | undefined;
}

function campaign(env: Env): CampaignConfig | undefined {
  const value = optional(env, "BOG_CAMPAIGN");
  if (value === undefined) return undefined;
  const [card, type, ...rest] = value.split(":");
  if (
    rest.length > 0 ||
    !(CAMPAIGN_CARDS as readonly string[]).includes(card ?? "") ||
    !(CAMPAIGN_TYPES as readonly string[]).includes(type ?? "")
  ) {
    throw new ConfigError(
      "BOG_CAMPAIGN",
      `must be card:type, card one of ${CAMPAIGN_CARDS.join(", ")}, type one of ${CAMPAIGN_TYPES.join(", ")}`,
    );
  }
  return { card, type } as CampaignConfig;
}

function accountTag(env: Env): string | undefined {
  const value = optional(env, "BOG_ACCOUNT_TAG");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (value !== undefined && (value.length > 64 || /[\u0000-\u001f\u007f]/.test(value)))
    throw new ConfigError("BOG_ACCOUNT_TAG", "must be at most 64 printable characters");
  return value;
}

type CaptureMode = "automatic" | "manual";

function captureMode(env: Env): CaptureMode {
  const value = optional(env, "CAPTURE_MODE") ?? "automatic";
  if (value !== "automatic" && value !== "manual")
    throw new ConfigError("CAPTURE_MODE", "must be automatic or manual");
  return value;
}

function deliveryFees(env: Env): DeliveryFees {
  const raw = optional(env, "DELIVERY_FEES");
  if (raw === undefined) return {};
  const problem =
    'must be JSON like {"GEL": "5.00"}: currencies GEL, USD, EUR, GBP, amounts as decimal strings';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError("DELIVERY_FEES", problem);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigError("DELIVERY_FEES", problem);
  const fees: DeliveryFees = {};
  for (const [currency, amount] of Object.entries(value)) {
    const minor: Minor | undefined = typeof amount === "string" ? parseAmount(amount) : undefined;
    if (!isOneOf(CURRENCIES, currency) || minor === undefined || minor > MAX_AMOUNT) {
      throw new ConfigError("DELIVERY_FEES", problem);
    }
    fees[currency] = minor;
  }
  return fees;
}

function urlTemplate(env: Env, name: string): string | undefined {
  const value = optional(env, name);
  if (value === undefined) return undefined;
  shopUrl(name, value.replaceAll("{orderId}", "00000000-0000-4000-8000-000000000000"));
  return value;
}

export function readOrderConfig(env: Env): OrderConfig {
  return {
    callbackUrl: shopUrl("CALLBACK_URL", required(env, "CALLBACK_URL")),
    successUrlTemplate: urlTemplate(env, "SUCCESS_URL_TEMPLATE"),
    failUrlTemplate: urlTemplate(env, "FAIL_URL_TEMPLATE"),
    maxBodyBytes: wholeNumber(env, "MAX_BODY_BYTES", 64 * 1024, 1024, 1024 * 1024),
    maxItems: wholeNumber(env, "MAX_ITEMS", 50, 1, 100),
    defaultTtlMinutes: wholeNumber(env, "DEFAULT_TTL_MINUTES", 15, 2, 1440),
    deliveryFees: deliveryFees(env),
    captureMode: captureMode(env),
    campaign: campaign(env),
    accountTag: accountTag(env),
  };
}

/** BOG_MERCHANT_ID: the merchant's id as the bank reports it (`client.id`); learned when unset. */
export function readMerchantId(env: Env): string | undefined {
  const value = optional(env, "BOG_MERCHANT_ID");
  if (value !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(value))
    throw new ConfigError("BOG_MERCHANT_ID", "must be the bank's client id, e.g. 39155");
  return value;
}

/** How long a bank-confirmed status counts as fresh for GET /orders/{id} (STATUS_REFRESH_SECONDS, default 5). */
export function readStatusRefreshMs(env: Env): number {
  return wholeNumber(env, "STATUS_REFRESH_SECONDS", 5, 0, 3600) * 1000;
}

/** The reconciliation sweep (docs/events-and-webhooks.md). */
export interface ReconcileConfig {
  /** An open order not confirmed by the bank for this long is asked about (RECONCILE_STALE_SECONDS, default 600). */
  staleMs: number;
  /**
   * A hold (`blocked`) is asked about this often, for the bank's release after 30 days
   * (RECONCILE_BLOCKED_SECONDS; the stack sets it from `blockedCheckHours`; locally,
   * by default, the RECONCILE_STALE_SECONDS cadence).
   */
  blockedCheckMs: number;
  /** Bank lookups in flight at once (RECONCILE_CONCURRENCY, default 4). */
  concurrency: number;
}

export function readReconcileConfig(env: Env): ReconcileConfig {
  const staleSeconds = wholeNumber(env, "RECONCILE_STALE_SECONDS", 600, 0, 86_400);
  return {
    staleMs: staleSeconds * 1000,
    // At most a week: a hold must be asked about well before its 30 days run out.
    blockedCheckMs: wholeNumber(env, "RECONCILE_BLOCKED_SECONDS", staleSeconds, 0, 604_800) * 1000,
    concurrency: wholeNumber(env, "RECONCILE_CONCURRENCY", 4, 1, 32),
  };
}
