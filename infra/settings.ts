import { createPublicKey, type KeyObject } from "node:crypto";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { ORDERS_TABLE } from "../lib/dynamo/tables.js";
import { ALL_ROUTE_KEYS, type RouteKey } from "../lib/http/routes.js";
import { isLoopbackHost } from "../lib/loopback.js";

/**
 * Deployment settings, from CDK context (cdk.json, or `-c name=value` on the command
 * line), checked at synth time: a bad one stops the synth with a message naming it.
 */

export interface DeploySettings {
  /** Browser origins of the shop allowed by CORS, e.g. https://shop.example */
  shopOrigins: string[];
  /** The shop's pages for after payment; `{orderId}` is replaced. */
  successUrlTemplate: string | undefined;
  failUrlTemplate: string | undefined;
  /** production: the bank's live hosts; test: the bank's test environment. */
  bankEnvironment: "production" | "test";
  logRetentionDays: RetentionDays;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  /** Where alarm notifications go; none when unset. */
  alarmEmail: string | undefined;
  /**
   * Concurrent executions reserved for (and capping) each function, or false to
   * reserve none (accounts whose Lambda concurrency limit is too small to reserve).
   */
  reservedConcurrency: ReservedConcurrency;
  /** Each route's own rate and burst, instead of the stage's default. */
  routeThrottles: Record<RouteKey, Throttle>;
  /** Unsigned callbacks in 5 minutes that raise the flood alarm. */
  unsignedCallbackAlarmThreshold: number;
  /** automatic: the bank charges at once; manual: pre-authorizations, captured or voided later. */
  captureMode: "automatic" | "manual";
  /** The shop's card campaign for public orders (`card:type`, e.g. `visa:client_discount`); optional. */
  bankCampaign: string | undefined;
  /** The POS terminal / settlement account tag for public orders; optional. */
  bankAccountTag: string | undefined;
  /** The merchant's id as the bank reports it in payment details (`client.id`); optional. */
  bankMerchantId: string | undefined;
  /** PEM of the key the bank signs callbacks with; unset: the bank's published key. */
  bankCallbackPublicKey: string | undefined;
  /**
   * How many of the orders table's indexes (lib/dynamo/tables.ts, in their order) to
   * create: all by default. CloudFormation adds one index per stack update, so a stack
   * deployed with fewer climbs one at a time; with fewer than all, the merchant routes
   * are left out of the API (their lists need the indexes).
   */
  ordersIndexes: number;
  /** How often the reconciliation sweep runs (docs/events-and-webhooks.md), in minutes. */
  reconcileEveryMinutes: number;
  /** How often the sweep asks the bank about a hold (`blocked`), in hours: the bank releases it after 30 days. */
  blockedCheckHours: number;
  /** An order open longer than this (minutes since it was created) raises the alarm OpenOrderAge. */
  openOrderAlarmMinutes: number;
  /** The shop's backend that receives every order event (https); none when unset. */
  orderWebhookUrl: string | undefined;
}

// The routes themselves: lib/http/routes.ts, the one table the stack, the local adapter
// and the OpenAPI check read.
const ROUTE_KEYS = ALL_ROUTE_KEYS;

/** Requests a second, steady (rateLimit) and in a burst (burstLimit). */
interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * POST /orders is the costly route (a bank order, four DynamoDB requests) and the one
 * abuse would aim at; Apple Pay's second step follows it at most once per order; result pages poll GET /orders/{orderId} a few times per payment;
 * the catalog is small and cached by the browser for a minute; the API's document
 * (GET /openapi.json) is a public GET like it, cached five minutes. The merchant routes
 * serve one shop's backend and its operators: orders created server to server as fast
 * as the public ones, a list that reads every shard of an index at once (so fewer),
 * and refunds, captures and voids, each a bank operation a person or a job asks for.
 */
const DEFAULT_ROUTE_THROTTLES: Readonly<Record<RouteKey, Throttle>> = {
  "GET /products": { rateLimit: 50, burstLimit: 100 },
  "POST /orders": { rateLimit: 25, burstLimit: 50 },
  "GET /orders/{orderId}": { rateLimit: 100, burstLimit: 200 },
  "POST /orders/{orderId}/wallet-payment": { rateLimit: 25, burstLimit: 50 },
  "GET /openapi.json": { rateLimit: 50, burstLimit: 100 },
  "POST /merchant/orders": { rateLimit: 25, burstLimit: 50 },
  "GET /merchant/orders": { rateLimit: 10, burstLimit: 20 },
  "GET /merchant/orders/{orderId}": { rateLimit: 25, burstLimit: 50 },
  "POST /merchant/orders/{orderId}/refund": { rateLimit: 5, burstLimit: 10 },
  "POST /merchant/orders/{orderId}/capture": { rateLimit: 5, burstLimit: 10 },
  "POST /merchant/orders/{orderId}/void": { rateLimit: 5, burstLimit: 10 },
  // A customer's cards are read per checkout page of a returning customer; charges are
  // bank orders (a subscription run may send many); deletes are a person's doing.
  "GET /merchant/customers/{customerRef}/cards": { rateLimit: 25, burstLimit: 50 },
  "POST /merchant/cards/{cardId}/charges": { rateLimit: 25, burstLimit: 50 },
  "DELETE /merchant/cards/{cardId}": { rateLimit: 5, burstLimit: 10 },
};

/** The stack's functions, by the names the settings and the stack use. */
const FUNCTION_NAMES = [
  "listProducts",
  "createOrder",
  "getStatus",
  "callback",
  "merchant",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

type ReservedConcurrency = Record<FunctionName, number> | false;

/**
 * Sized to each function's job, 550 in all: an account's default limit of 1,000 keeps
 * 450 unreserved (AWS requires at least 100 to stay unreserved). create-order waits on
 * the bank (seconds), get-status mostly reads one item and is polled by result pages,
 * list-products scans a small catalog the browser caches, the callback sees the bank's
 * few calls a payment (its cap also bounds a flood of unsigned callbacks), and the
 * merchant API serves one shop's backend and operators, behind IAM.
 */
const DEFAULT_RESERVED_CONCURRENCY: Readonly<Record<FunctionName, number>> = {
  listProducts: 100,
  createOrder: 200,
  getStatus: 150,
  callback: 50,
  merchant: 50,
};

/** Every index the orders table has (lib/dynamo/tables.ts): the default of ordersIndexes. */
export const ORDERS_INDEX_COUNT = ORDERS_TABLE.globalSecondaryIndexes?.length ?? 0;

/** How many of the orders table's first indexes a stack needs for this one to exist. */
export function indexesUpTo(indexName: string): number {
  const names = (ORDERS_TABLE.globalSecondaryIndexes ?? []).map((index) => index.indexName);
  const position = names.indexOf(indexName);
  if (position < 0) throw new Error(`the orders table has no index ${indexName}`);
  return position + 1;
}

class SettingError extends Error {
  override readonly name = "SettingError";
  constructor(setting: string, problem: string) {
    super(`CDK context "${setting}" ${problem}`);
  }
}

type Context = (key: string) => unknown;

const RETENTIONS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === "number"),
);

function text(context: Context, key: string): string | undefined {
  const value = context(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new SettingError(key, "must be a string");
  return value.trim();
}

function origins(context: Context): string[] {
  const raw = context("shopOrigins");
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : undefined;
  if (!list || list.length === 0) {
    throw new SettingError(
      "shopOrigins",
      'is required: the shop\'s browser origins, e.g. ["https://shop.example"]',
    );
  }
  return list.map((entry) => {
    const value = typeof entry === "string" ? entry.trim() : "";
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SettingError(
        "shopOrigins",
        `has "${value}", which is not an origin like https://shop.example`,
      );
    }
    if (url.origin !== value) {
      throw new SettingError(
        "shopOrigins",
        `has "${value}": an origin is scheme://host[:port], with no path or slash`,
      );
    }
    if (url.protocol !== "https:" && !isLoopbackHost(url.hostname)) {
      throw new SettingError(
        "shopOrigins",
        `has "${value}": origins must be https (http only for loopback hosts: localhost, 127.0.0.0/8, [::1])`,
      );
    }
    return value;
  });
}

function urlTemplate(context: Context, key: string): string | undefined {
  const value = text(context, key);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value.replaceAll("{orderId}", "00000000-0000-4000-8000-000000000000"));
  } catch {
    throw new SettingError(key, "must be an absolute URL, with {orderId} where the order id goes");
  }
  if (url.protocol !== "https:" && !isLoopbackHost(url.hostname))
    throw new SettingError(key, "must be an https URL");
  return value;
}

function wholeNumber(
  context: Context,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  return wholeNumberValue(context(key), key, fallback, min, max);
}

function wholeNumberValue(
  raw: unknown,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new SettingError(key, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * A setting that is an object (or false) in cdk.json; `-c name=value` gives text, so
 * JSON text and the word false are read too.
 */
function structured(context: Context, key: string): unknown {
  const raw = context(key);
  if (typeof raw !== "string") return raw;
  const value = raw.trim();
  if (value === "false") return false;
  if (value === "") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new SettingError(key, `is not valid JSON: ${value}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function reservedConcurrency(context: Context): ReservedConcurrency {
  const key = "reservedConcurrency";
  const raw = structured(context, key);
  if (raw === undefined || raw === null) return { ...DEFAULT_RESERVED_CONCURRENCY };
  if (raw === false) return false;
  if (!isPlainObject(raw)) {
    throw new SettingError(
      key,
      `must be false, or an object of whole numbers by function (${FUNCTION_NAMES.join(", ")}), e.g. {"createOrder": 300}`,
    );
  }
  for (const name of Object.keys(raw)) {
    if (!(FUNCTION_NAMES as readonly string[]).includes(name)) {
      throw new SettingError(
        key,
        `has "${name}", which is not a function of this stack (${FUNCTION_NAMES.join(", ")})`,
      );
    }
  }
  const entries = FUNCTION_NAMES.map(
    (name) =>
      [
        name,
        wholeNumberValue(
          raw[name],
          `${key}.${name}`,
          DEFAULT_RESERVED_CONCURRENCY[name],
          1,
          10_000,
        ),
      ] as const,
  );
  return Object.fromEntries(entries) as Record<FunctionName, number>;
}

function routeThrottles(context: Context): Record<RouteKey, Throttle> {
  const key = "routeThrottles";
  const raw = structured(context, key) ?? {};
  if (!isPlainObject(raw)) {
    throw new SettingError(
      key,
      `must be an object by route (${ROUTE_KEYS.join(", ")}), e.g. {"POST /orders": {"rateLimit": 10, "burstLimit": 20}}`,
    );
  }
  for (const route of Object.keys(raw)) {
    if (!(ROUTE_KEYS as readonly string[]).includes(route)) {
      throw new SettingError(
        key,
        `has "${route}", which is not a route of this API (${ROUTE_KEYS.join(", ")})`,
      );
    }
  }
  const entries = ROUTE_KEYS.map((route) => {
    const given = raw[route] ?? {};
    const name = `${key}.${route}`;
    if (!isPlainObject(given)) {
      throw new SettingError(name, "must be an object: {rateLimit, burstLimit}");
    }
    for (const field of Object.keys(given)) {
      if (field !== "rateLimit" && field !== "burstLimit") {
        throw new SettingError(name, `has "${field}": only rateLimit and burstLimit are settings`);
      }
    }
    const fallback = DEFAULT_ROUTE_THROTTLES[route];
    const throttle: Throttle = {
      rateLimit: wholeNumberValue(
        given.rateLimit,
        `${name}.rateLimit`,
        fallback.rateLimit,
        1,
        10_000,
      ),
      burstLimit: wholeNumberValue(
        given.burstLimit,
        `${name}.burstLimit`,
        fallback.burstLimit,
        1,
        5_000,
      ),
    };
    return [route, throttle] as const;
  });
  return Object.fromEntries(entries) as Record<RouteKey, Throttle>;
}

function captureMode(context: Context): "automatic" | "manual" {
  const value = text(context, "captureMode") ?? "automatic";
  if (value !== "automatic" && value !== "manual") {
    throw new SettingError("captureMode", "must be automatic or manual");
  }
  return value;
}

const CAMPAIGN = /^(visa|mc|solo):(restrict|client_discount)$/;

function bankCampaign(context: Context): string | undefined {
  const value = text(context, "bankCampaign");
  if (value !== undefined && !CAMPAIGN.test(value)) {
    throw new SettingError(
      "bankCampaign",
      "must be card:type, card visa, mc or solo, type restrict or client_discount",
    );
  }
  return value;
}

function bankAccountTag(context: Context): string | undefined {
  const value = text(context, "bankAccountTag");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (value !== undefined && (value.length > 64 || /[\u0000-\u001f\u007f]/.test(value))) {
    throw new SettingError("bankAccountTag", "must be at most 64 printable characters");
  }
  return value;
}

function bankMerchantId(context: Context): string | undefined {
  const key = "bankMerchantId";
  const raw = context(key);
  // cdk.json may well hold the bank's numeric id as a number.
  const value =
    typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 0
      ? String(raw)
      : text(context, key);
  if (value === undefined) return undefined;
  if (!/^[!-~]{1,64}$/.test(value)) {
    throw new SettingError(
      key,
      'must be the merchant\'s id as the bank reports it in payment details (client.id), e.g. "39155": 1 to 64 characters, no spaces',
    );
  }
  return value;
}

/**
 * The key callbacks are verified with. The default (no setting, no variable) is the
 * bank's published key, which is its production key: the test environment signs
 * with another one, so there the setting is required.
 */
function bankCallbackPublicKey(
  context: Context,
  bankEnvironment: DeploySettings["bankEnvironment"],
): string | undefined {
  const key = "bankCallbackPublicKey";
  const value = text(context, key);
  if (value === undefined) {
    if (bankEnvironment === "test") {
      throw new SettingError(
        key,
        "is required with bankEnvironment \"test\": the default, the bank's published key, is its production key and does not verify the test environment's callbacks. Give the PEM of the key the bank signs test callbacks with",
      );
    }
    return undefined;
  }
  // One line in cdk.json or on a command line may carry the line breaks as \n.
  const pem = value.replace(/\\n/g, "\n");
  if (pem.includes("PRIVATE KEY")) {
    throw new SettingError(
      key,
      "is a private key: give the bank's public key (a private key never belongs in a setting)",
    );
  }
  if (!pem.startsWith("-----BEGIN ")) {
    throw new SettingError(key, "must be PEM text: -----BEGIN PUBLIC KEY----- ...");
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch {
    throw new SettingError(key, "is not a public key that can be read (PEM)");
  }
  if (publicKey.asymmetricKeyType !== "rsa") {
    throw new SettingError(
      key,
      `must be an RSA key (the bank signs with SHA256withRSA), not ${publicKey.asymmetricKeyType}`,
    );
  }
  return pem;
}

/**
 * At least the first index (the bank order id's, which the callback queries), at most
 * all of them. Fewer is only for climbing from a stack deployed with fewer.
 */
function ordersIndexes(context: Context): number {
  const names = (ORDERS_TABLE.globalSecondaryIndexes ?? []).map((index) => index.indexName);
  const raw = context("ordersIndexes");
  if (raw === undefined || raw === null || raw === "") return ORDERS_INDEX_COUNT;
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > ORDERS_INDEX_COUNT
  ) {
    throw new SettingError(
      "ordersIndexes",
      `must be a whole number from 1 to ${ORDERS_INDEX_COUNT}: how many of the orders table's indexes (${names.join(", ")}, in this order) to create; leave it unset for all`,
    );
  }
  return value;
}

/**
 * Where the webhook sender POSTs each order event: https only (the events travel over
 * the internet to the shop), no credentials in the URL (they would sit in the
 * template), no fragment, at most 2048 characters.
 */
function orderWebhookUrl(context: Context): string | undefined {
  const key = "orderWebhookUrl";
  const value = text(context, key);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingError(
      key,
      `must be an absolute https URL, e.g. https://shop.example/bog-events`,
    );
  }
  if (url.protocol !== "https:") {
    throw new SettingError(
      key,
      `must be an https URL (order events travel to the shop over the internet), not ${url.protocol}`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new SettingError(
      key,
      "must not carry a user name or password: they would be in the template; the stack authenticates with its own key",
    );
  }
  if (url.hash !== "") throw new SettingError(key, "must not have a #fragment");
  if (value.length > 2048) throw new SettingError(key, "must be at most 2048 characters");
  return value;
}

export function readSettings(context: Context): DeploySettings {
  const bankEnvironment = text(context, "bankEnvironment") ?? "production";
  if (bankEnvironment !== "production" && bankEnvironment !== "test") {
    throw new SettingError("bankEnvironment", "must be production or test");
  }
  const retention = wholeNumber(context, "logRetentionDays", 365, 1, 3653);
  if (!RETENTIONS.has(retention)) {
    throw new SettingError(
      "logRetentionDays",
      `must be one CloudWatch Logs offers: ${[...RETENTIONS].sort((a, b) => a - b).join(", ")}`,
    );
  }
  const alarmEmail = text(context, "alarmEmail");
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new SettingError("alarmEmail", "must be an e-mail address");
  }
  return {
    shopOrigins: origins(context),
    successUrlTemplate: urlTemplate(context, "successUrlTemplate"),
    failUrlTemplate: urlTemplate(context, "failUrlTemplate"),
    bankEnvironment,
    logRetentionDays: retention as RetentionDays,
    throttleRateLimit: wholeNumber(context, "throttleRateLimit", 50, 1, 10_000),
    throttleBurstLimit: wholeNumber(context, "throttleBurstLimit", 100, 1, 5_000),
    alarmEmail,
    reservedConcurrency: reservedConcurrency(context),
    routeThrottles: routeThrottles(context),
    unsignedCallbackAlarmThreshold: wholeNumber(
      context,
      "unsignedCallbackAlarmThreshold",
      300,
      1,
      1_000_000,
    ),
    captureMode: captureMode(context),
    bankCampaign: bankCampaign(context),
    bankAccountTag: bankAccountTag(context),
    bankMerchantId: bankMerchantId(context),
    bankCallbackPublicKey: bankCallbackPublicKey(context, bankEnvironment),
    ordersIndexes: ordersIndexes(context),
    reconcileEveryMinutes: wholeNumber(context, "reconcileEveryMinutes", 5, 1, 1440),
    blockedCheckHours: wholeNumber(context, "blockedCheckHours", 24, 1, 168),
    // Default: a day's ttl (the bank's longest) and an hour more.
    openOrderAlarmMinutes: wholeNumber(context, "openOrderAlarmMinutes", 1500, 10, 43_200),
    orderWebhookUrl: orderWebhookUrl(context),
  };
}
