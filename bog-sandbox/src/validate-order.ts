import { type Minor, minorFromNumber, times, twoPlaces } from "./amounts.js";
import {
  APPLICATION_TYPES,
  CAPTURES,
  CURRENCIES,
  isOneOf,
  LANGUAGES,
  type Language,
  MANUAL_CAPTURE_METHODS,
  PAYMENT_METHODS,
  type PaymentMethod,
  THEMES,
  type Theme,
  TTL_MINUTES,
} from "./document.js";
import { isLoopbackHost } from "./net.js";
import type { BasketItem, Buyer, OrderRequest } from "./order-model.js";
import { MAX_BASKET_ITEMS, MAX_QUANTITY, MAX_TEXT, OUR_READING } from "./readings.js";
import { validateConfig } from "./validate-config.js";

/**
 * Create order's body and headers, by the document's field list: each field's type,
 * required/optional mark, enumeration and stated rule. Where the document is silent
 * and a correct client must still do the right thing (a total that matches the basket,
 * whole quantities, two decimal places, lengths), the refusal says it is the sandbox's
 * reading. Every problem is reported, each with the field's path, in one `message`.
 */

export type Validation<T> = { ok: true; value: T } | { ok: false; problems: string[] };

type Json = Record<string, unknown>;

/** At most this many problems are spelled out; the rest are counted (a sandbox reading). */
const MAX_PROBLEMS = 20;

class Problems {
  private readonly found: string[] = [];
  add(path: string, message: string): void {
    this.found.push(`${path} ${message}`);
  }
  get list(): string[] {
    if (this.found.length <= MAX_PROBLEMS) return this.found;
    const more = this.found.length - MAX_PROBLEMS;
    return [...this.found.slice(0, MAX_PROBLEMS), `and ${more} more problem(s)`];
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalText(obj: Json, key: string, path: string, p: Problems): string | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    p.add(path, "must be a string");
    return null;
  }
  if (value.length > MAX_TEXT) p.add(path, `must be at most ${MAX_TEXT} characters ${OUR_READING}`);
  return value;
}

function optionalEnum<T extends string>(
  obj: Json,
  key: string,
  path: string,
  allowed: readonly T[],
  fallback: T,
  p: Problems,
): T {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value))
    return value as T;
  p.add(path, `must be one of ${allowed.join(", ")}`);
  return fallback;
}

/** A JSON number with at most two decimal places (the bank takes amounts as numbers). */
function amount(value: unknown, path: string, p: Problems): Minor | undefined {
  if (typeof value !== "number") {
    p.add(path, "must be a number");
    return undefined;
  }
  if (value < 0) {
    p.add(path, "must be >= 0");
    return undefined;
  }
  if (value > 99_999_999_999.99) {
    p.add(path, `must be at most 99999999999.99 ${OUR_READING}`);
    return undefined;
  }
  const minor = minorFromNumber(value);
  if (minor === undefined) p.add(path, `must have at most two decimal places ${OUR_READING}`);
  return minor;
}

function optionalAmount(obj: Json, key: string, path: string, p: Problems): Minor | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  return amount(value, path, p) ?? null;
}

function url(value: string, path: string, p: Problems): URL | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    p.add(path, `must not contain control characters ${OUR_READING}`);
    return undefined;
  }
  try {
    return new URL(value);
  } catch {
    p.add(path, "must be an absolute URL");
    return undefined;
  }
}

/** The URL as given, or percent-encoded where it has characters a Location header cannot carry. */
const storable = (value: string, parsed: URL) =>
  /^[\u0020-\u007e]*$/.test(value) ? value : parsed.href;

function callbackUrl(body: Json, p: Problems): string {
  const value = body.callback_url;
  if (typeof value !== "string" || value.trim() === "") {
    p.add("callback_url", "is required");
    return "";
  }
  const parsed = url(value, "callback_url", p);
  if (!parsed) return value;
  if (parsed.protocol === "http:" && !isLoopbackHost(parsed.hostname)) {
    p.add("callback_url", "must be HTTPS (plain http is accepted for loopback hosts only)");
  } else if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    p.add("callback_url", "must be HTTPS");
  }
  return storable(value, parsed);
}

function redirectUrl(obj: Json, key: string, p: Problems): string | null {
  const path = `redirect_urls.${key}`;
  const value = optionalText(obj, key, path, p);
  if (value === null || value === "") return null;
  const parsed = url(value, path, p);
  if (!parsed) return value;
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    p.add(path, "must be an http(s) URL");
  }
  return storable(value, parsed);
}

function basketItem(raw: unknown, index: number, p: Problems): BasketItem | undefined {
  const path = `purchase_units.basket[${index}]`;
  if (!isObject(raw)) {
    p.add(path, "must be an object");
    return undefined;
  }
  const productId = raw.product_id;
  if (typeof productId !== "string" || productId.trim() === "") {
    p.add(`${path}.product_id`, "is required");
  } else if (productId.length > MAX_TEXT) {
    p.add(`${path}.product_id`, `must be at most ${MAX_TEXT} characters ${OUR_READING}`);
  }
  const quantity = raw.quantity;
  const quantityOk =
    typeof quantity === "number" &&
    Number.isInteger(quantity) &&
    quantity >= 1 &&
    quantity <= MAX_QUANTITY;
  if (typeof quantity !== "number") p.add(`${path}.quantity`, "is required and must be a number");
  else if (quantity < 1) p.add(`${path}.quantity`, "must be >= 1");
  else if (!quantityOk) {
    p.add(`${path}.quantity`, `must be a whole number up to ${MAX_QUANTITY} ${OUR_READING}`);
  }
  let unitPrice: Minor | undefined;
  if (raw.unit_price === undefined) p.add(`${path}.unit_price`, "is required");
  else unitPrice = amount(raw.unit_price, `${path}.unit_price`, p);
  const unitDiscountPrice =
    optionalAmount(raw, "unit_discount_price", `${path}.unit_discount_price`, p) ?? 0;
  if (unitPrice !== undefined && unitDiscountPrice > unitPrice) {
    p.add(`${path}.unit_discount_price`, "must not exceed unit_price");
  }
  const vatPercentRaw = raw.vat_percent;
  let vatPercent: number | null = null;
  if (vatPercentRaw !== undefined && vatPercentRaw !== null) {
    if (typeof vatPercentRaw !== "number" || vatPercentRaw < 0 || vatPercentRaw > 100) {
      p.add(`${path}.vat_percent`, "must be a number from 0 to 100");
    } else vatPercent = vatPercentRaw;
  }
  const totalPrice = optionalAmount(raw, "total_price", `${path}.total_price`, p);
  if (typeof productId !== "string" || !quantityOk || unitPrice === undefined) return undefined;
  if (unitDiscountPrice > unitPrice) return undefined;
  const lineTotal = times(unitPrice - unitDiscountPrice, quantity as number);
  if (lineTotal === undefined) {
    p.add(`${path}`, `quantity × unit_price is too large ${OUR_READING}`);
    return undefined;
  }
  if (totalPrice !== null && totalPrice !== lineTotal) {
    p.add(
      `${path}.total_price`,
      `must equal quantity × (unit_price − unit_discount_price) ${OUR_READING}`,
    );
  }
  return {
    productId,
    description: optionalText(raw, "description", `${path}.description`, p),
    quantity: quantity as number,
    unitPrice,
    unitDiscountPrice,
    vat: optionalAmount(raw, "vat", `${path}.vat`, p),
    vatPercent,
    totalPrice,
    image: optionalText(raw, "image", `${path}.image`, p),
    packageCode: optionalText(raw, "package_code", `${path}.package_code`, p),
    tin: optionalText(raw, "tin", `${path}.tin`, p),
    pinfl: optionalText(raw, "pinfl", `${path}.pinfl`, p),
    productDiscountId: optionalText(raw, "product_discount_id", `${path}.product_discount_id`, p),
  };
}

function buyer(body: Json, p: Problems): Buyer | null {
  const raw = body.buyer;
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) {
    p.add("buyer", "must be an object");
    return null;
  }
  return {
    fullName: optionalText(raw, "full_name", "buyer.full_name", p),
    maskedEmail: optionalText(raw, "masked_email", "buyer.masked_email", p),
    maskedPhone: optionalText(raw, "masked_phone", "buyer.masked_phone", p),
  };
}

function ttl(body: Json, p: Problems): number {
  const value = body.ttl;
  const { min, max } = TTL_MINUTES;
  if (value === undefined || value === null) return TTL_MINUTES.default;
  if (typeof value !== "number" || value < min || value > max) {
    p.add("ttl", `must be a number of minutes from ${min} to ${max}`);
    return TTL_MINUTES.default;
  }
  if (!Number.isInteger(value)) {
    p.add("ttl", `must be a whole number of minutes ${OUR_READING}`);
    return TTL_MINUTES.default;
  }
  return value;
}

function paymentMethods(body: Json, p: Problems): PaymentMethod[] {
  const value = body.payment_method;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    p.add("payment_method", "must be an array");
    return [];
  }
  const methods: PaymentMethod[] = [];
  value.forEach((method, i) => {
    if (isOneOf(PAYMENT_METHODS, method)) {
      if (!methods.includes(method)) methods.push(method);
    } else p.add(`payment_method[${i}]`, `must be one of ${PAYMENT_METHODS.join(", ")}`);
  });
  return methods;
}

/**
 * capture manual "can only be used when paying through Apple Pay, Google Pay or by a
 * card". An order that names no method offers every method, so a hold must name them.
 */
function manualCapture(methods: readonly PaymentMethod[], p: Problems): void {
  const others = methods.filter((m) => !MANUAL_CAPTURE_METHODS.includes(m));
  if (others.length > 0) {
    p.add(
      "capture",
      `manual can only be used when paying through Apple Pay, Google Pay or by a card; payment_method has ${others.join(", ")}`,
    );
  } else if (methods.length === 0) {
    p.add(
      "capture",
      `manual needs payment_method among card, google_pay, apple_pay (with none, every method is offered) ${OUR_READING}`,
    );
  }
}

export interface OrderHeaders {
  acceptLanguage: string | undefined;
  theme: string | undefined;
}

function headerEnum<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
  fallback: T,
  p: Problems,
): T {
  // "*" is HTTP's "any language": Node's fetch sends it by default. A list or a region
  // ("en-US,en;q=0.9") is read by its first entry's language (a sandbox reading).
  const first = (value ?? "").split(",")[0]?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (first === "" || first === "*") return fallback;
  const normalised = name === "Accept-Language" ? (first.split("-")[0] ?? first) : first;
  if ((allowed as readonly string[]).includes(normalised)) return normalised as T;
  p.add(`header ${name}`, `must be one of ${allowed.join(", ")} ${OUR_READING}`);
  return fallback;
}

export function validateOrderRequest(
  body: unknown,
  headers: OrderHeaders,
): Validation<OrderRequest> {
  const p = new Problems();
  if (!isObject(body)) return { ok: false, problems: ["the request body must be a JSON object"] };

  const lang: Language = headerEnum(headers.acceptLanguage, "Accept-Language", LANGUAGES, "ka", p);
  const theme: Theme = headerEnum(headers.theme, "Theme", THEMES, "light", p);
  const callback = callbackUrl(body, p);

  const units = body.purchase_units;
  const items: BasketItem[] = [];
  let delivery: Minor = 0;
  let total: Minor | undefined;
  let totalDiscount: Minor | null = null;
  let currency: OrderRequest["currency"] = "GEL";
  if (!isObject(units)) {
    p.add("purchase_units", "is required");
  } else {
    currency = optionalEnum(units, "currency", "purchase_units.currency", CURRENCIES, "GEL", p);
    const basket = units.basket;
    if (!Array.isArray(basket) || basket.length === 0) {
      p.add("purchase_units.basket", "is required and must not be empty");
    } else if (basket.length > MAX_BASKET_ITEMS) {
      p.add("purchase_units.basket", `must have at most ${MAX_BASKET_ITEMS} items ${OUR_READING}`);
    } else {
      basket.forEach((raw, i) => {
        const item = basketItem(raw, i, p);
        if (item) items.push(item);
      });
    }
    const deliveryRaw = units.delivery;
    if (deliveryRaw !== undefined && deliveryRaw !== null) {
      if (!isObject(deliveryRaw)) p.add("purchase_units.delivery", "must be an object");
      else
        delivery = optionalAmount(deliveryRaw, "amount", "purchase_units.delivery.amount", p) ?? 0;
    }
    totalDiscount = optionalAmount(
      units,
      "total_discount_amount",
      "purchase_units.total_discount_amount",
      p,
    );
    if (units.total_amount === undefined || units.total_amount === null) {
      p.add("purchase_units.total_amount", "is required");
    } else {
      total = amount(units.total_amount, "purchase_units.total_amount", p);
      if (total === 0)
        p.add("purchase_units.total_amount", `must be greater than 0 ${OUR_READING}`);
    }
    const basketComplete = Array.isArray(basket) && items.length === basket.length;
    if (total !== undefined && total > 0 && basketComplete && items.length > 0) {
      const expected = [
        ...items.map((i) => (i.unitPrice - i.unitDiscountPrice) * i.quantity),
        delivery,
      ].reduce((a, b) => a + b, 0);
      if (expected !== total) {
        p.add(
          "purchase_units.total_amount",
          `must equal the basket (quantity × (unit_price − unit_discount_price)) plus delivery.amount: expected ${twoPlaces(expected)}, got ${twoPlaces(total)} ${OUR_READING}`,
        );
      }
    }
    if (totalDiscount !== null && basketComplete && items.length > 0) {
      // "The reduced amount in case of payment with a discount": read as the basket's discounts.
      const discounts = items.reduce((sum, i) => sum + i.unitDiscountPrice * i.quantity, 0);
      if (discounts !== totalDiscount) {
        p.add(
          "purchase_units.total_discount_amount",
          `must equal the basket's discounts (quantity × unit_discount_price): expected ${twoPlaces(discounts)}, got ${twoPlaces(totalDiscount)} ${OUR_READING}`,
        );
      }
    }
  }

  const redirect = body.redirect_urls;
  let redirectUrls: OrderRequest["redirectUrls"] = { success: null, fail: null };
  if (redirect !== undefined && redirect !== null) {
    if (!isObject(redirect)) p.add("redirect_urls", "must be an object");
    else {
      redirectUrls = {
        success: redirectUrl(redirect, "success", p),
        fail: redirectUrl(redirect, "fail", p),
      };
    }
  }

  const capture = optionalEnum(body, "capture", "capture", CAPTURES, "automatic", p);
  const methods = paymentMethods(body, p);
  if (capture === "manual") manualCapture(methods, p);
  const value: OrderRequest = {
    callbackUrl: callback,
    externalOrderId: optionalText(body, "external_order_id", "external_order_id", p),
    capture,
    applicationType:
      body.application_type === undefined || body.application_type === null
        ? null
        : optionalEnum(body, "application_type", "application_type", APPLICATION_TYPES, "web", p),
    buyer: buyer(body, p),
    currency,
    items,
    delivery,
    total: total ?? 0,
    totalDiscount,
    redirectUrls,
    ttlMinutes: ttl(body, p),
    paymentMethods: methods,
    lang,
    theme,
    config: validateConfig(body, methods, p),
  };
  return p.list.length > 0 ? { ok: false, problems: p.list } : { ok: true, value };
}

/** The optional body of `POST /ecommerce/orders/{parent_order_id}/subscribe`. */
export interface SubscribeRequest {
  callbackUrl: string | null;
  externalOrderId: string | null;
}

export function validateSubscribeRequest(body: unknown): Validation<SubscribeRequest> {
  const p = new Problems();
  if (!isObject(body)) return { ok: false, problems: ["the request body must be a JSON object"] };
  const value: SubscribeRequest = {
    callbackUrl:
      body.callback_url === undefined || body.callback_url === null ? null : callbackUrl(body, p),
    externalOrderId: optionalText(body, "external_order_id", "external_order_id", p),
  };
  return p.list.length > 0 ? { ok: false, problems: p.list } : { ok: true, value };
}
