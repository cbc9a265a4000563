import { BankRejectedError, BankResponseError, BankUnauthorizedError } from "../errors.js";
import { amountToNumber, type Minor } from "../money.js";
import {
  type BankRequest,
  type BankResponse,
  bankMessage,
  type RetryPolicy,
  sendToBank,
} from "./bank-http.js";
import type { BankEndpoints } from "./environments.js";
import {
  type ApplicationType,
  configBody,
  hasWallet,
  type OrderConfig,
  type WalletConfig,
} from "./order-options.js";
import { type PaymentDetails, parsePaymentDetails } from "./payment-details.js";
import type { TokenSource } from "./token-cache.js";
import type { Currency, PaymentMethod } from "./vocabulary.js";

/**
 * The bank's operations, typed. Each call takes a deadline (the caller's remaining
 * time); POSTs take an Idempotency-Key, which makes them safe to retry and lets the
 * bank dedupe. A 401 drops the token and retries with a fresh one (at most twice:
 * the first replacement may be another container's cached token, revoked as well).
 */

export type * from "./order-options.js";
export type { Currency };

export interface BasketLine {
  productId: string;
  description?: string;
  quantity: number;
  unitPrice: Minor;
  /** Taken off each unit (`unit_discount_price`); the line costs quantity × (unitPrice − this). */
  unitDiscountPrice?: Minor;
  /** A discount promotion registered at the bank (`product_discount_id`). */
  productDiscountId?: string;
  /** quantity × (unitPrice − unitDiscountPrice) (`total_price`). */
  totalPrice?: Minor;
  /** The line's VAT (`vat`) and its rate, a decimal string like "18" (`vat_percent`). */
  vat?: Minor;
  vatPercent?: string;
  image?: string;
  packageCode?: string;
  tin?: string;
  pinfl?: string;
}

/** What every create-order request has, in our terms (minor units). */
interface OrderFields {
  callbackUrl: string;
  externalOrderId?: string;
  currency: Currency;
  total: Minor;
  /** The basket's discounts, Σ quantity × unit discount (`total_discount_amount`). */
  totalDiscount?: Minor;
  delivery?: Minor;
  basket: BasketLine[];
  capture?: "automatic" | "manual";
  redirectUrls?: { success?: string; fail?: string };
  ttlMinutes?: number;
  paymentMethods?: PaymentMethod[];
  buyer?: { fullName?: string; maskedEmail?: string; maskedPhone?: string };
  language?: "ka" | "en";
  theme?: "light" | "dark";
  /** Where the order was made (`application_type`); the bank uses it for Apple Pay. */
  applicationType?: ApplicationType;
}

/**
 * An order paid on the bank's payment page, serialised to the bank's shape here.
 * Its answer always has the page to send the customer to.
 */
export interface CreateOrderRequest extends OrderFields {
  config?: OrderConfig & { googlePay?: undefined; applePay?: undefined };
}

/**
 * An order paid with Google Pay or Apple Pay on the shop's own page
 * (`config.google_pay` / `config.apple_pay` with `external: true`). Google Pay answers
 * a status, and a page only when 3-D Secure is needed; Apple Pay answers an accept
 * link, then `completeApplePay` pays it.
 */
export interface WalletOrderRequest extends OrderFields {
  config: OrderConfig & WalletConfig;
}

/** The bank's answer to create-order, whichever way the order is to be paid. */
export interface CreatedOrder {
  bankOrderId: string;
  /** `status` (wallet orders: Google Pay answers one); null when the bank sent none. */
  status: string | null;
  /** `_links.redirect.href`: the payment page (or the 3-D Secure step of a Google Pay order). */
  redirectUrl: string | null;
  /** `_links.accept.href`: where an Apple Pay order's token goes (see completeApplePay). */
  acceptUrl: string | null;
  detailsUrl: string | null;
}

/** The answer for an order paid on the bank's page: the page is always there. */
export interface PageOrderCreated extends CreatedOrder {
  redirectUrl: string;
}

/** The bank's answer to an Apple Pay token: the order and its status. */
export interface WalletPayment {
  bankOrderId: string;
  status: string | null;
  /** `order_details`: the payment's details, as the receipt gives them; null if absent or unreadable. */
  details: PaymentDetails | null;
  detailsUrl: string | null;
}

/** What the bank saves a card for: charges with the customer, or automatic ones without. */
export type SavedCardType = "recurrent" | "subscription";

/** The bank's answer to an automatic charge of a saved card: the new order; its outcome comes by callback. */
export interface SubscriptionCharge {
  bankOrderId: string;
  detailsUrl: string | null;
}

export interface ActionAccepted {
  actionId: string | null;
  /** The answer's `key` ("request_received") and `message`, as the bank wrote them; null when absent. */
  key: string | null;
  message: string | null;
}

export interface CallOptions {
  /** Epoch ms by which the call must be over, retries included. */
  deadline: number;
}

export interface IdempotentCallOptions extends CallOptions {
  /** UUID v4; the same key for a retry of the same operation. */
  idempotencyKey: string;
}

export interface Warn {
  warn(message: string, attributes?: Record<string, unknown>): void;
}

export interface BogClientOptions {
  endpoints: BankEndpoints;
  tokens: TokenSource;
  policy?: RetryPolicy;
  log?: Warn;
  /** Told of every 429 from the bank (a metric in AWS). */
  onThrottled?: () => void;
  /** Told of every call as its caller saw it: how long, and whether it failed (metrics in AWS). */
  onCall?: (call: BankCall) => void;
}

export interface BankCall {
  operation: string;
  /** From the first attempt to the answer (or the giving up), retries included. */
  ms: number;
  /** The bank was unavailable or answered an error status. */
  failed: boolean;
}

function orderBody(order: CreateOrderRequest | WalletOrderRequest) {
  return {
    application_type: order.applicationType,
    callback_url: order.callbackUrl,
    external_order_id: order.externalOrderId,
    capture: order.capture,
    purchase_units: {
      currency: order.currency,
      total_amount: amountToNumber(order.total),
      basket: order.basket.map((line) => ({
        product_id: line.productId,
        description: line.description,
        quantity: line.quantity,
        unit_price: amountToNumber(line.unitPrice),
        unit_discount_price:
          line.unitDiscountPrice === undefined ? undefined : amountToNumber(line.unitDiscountPrice),
        product_discount_id: line.productDiscountId,
        total_price: line.totalPrice === undefined ? undefined : amountToNumber(line.totalPrice),
        vat: line.vat === undefined ? undefined : amountToNumber(line.vat),
        vat_percent: line.vatPercent === undefined ? undefined : Number(line.vatPercent),
        image: line.image,
        package_code: line.packageCode,
        tin: line.tin,
        pinfl: line.pinfl,
      })),
      total_discount_amount:
        order.totalDiscount === undefined ? undefined : amountToNumber(order.totalDiscount),
      delivery: order.delivery ? { amount: amountToNumber(order.delivery) } : undefined,
    },
    redirect_urls: order.redirectUrls,
    ttl: order.ttlMinutes,
    payment_method: order.paymentMethods,
    buyer: order.buyer && {
      full_name: order.buyer.fullName,
      masked_email: order.buyer.maskedEmail,
      masked_phone: order.buyer.maskedPhone,
    },
    config: configBody(order.config),
  };
}

const href = (link: unknown): string | null => {
  const value =
    typeof link === "object" && link !== null ? (link as { href?: unknown }).href : undefined;
  return typeof value === "string" && value !== "" ? value : null;
};

/** Cached tokens dropped on 401 before the bank's refusal counts as final. */
const MAX_TOKEN_REFUSALS = 2;

function json(response: BankResponse, operation: string): Record<string, unknown> {
  try {
    const value = JSON.parse(response.text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new BankResponseError(`the bank's ${operation} answer is not a JSON object`);
}

export class BogClient {
  constructor(private readonly options: BogClientOptions) {}

  /**
   * Creates an order. One paid on the bank's page always answers its page (an answer
   * without one is a BankResponseError); a wallet order answers what the bank sends.
   */
  createOrder(order: CreateOrderRequest, options: IdempotentCallOptions): Promise<PageOrderCreated>;
  createOrder(order: WalletOrderRequest, options: IdempotentCallOptions): Promise<CreatedOrder>;
  createOrder(
    order: CreateOrderRequest | WalletOrderRequest,
    options: IdempotentCallOptions,
  ): Promise<CreatedOrder>;
  async createOrder(
    order: CreateOrderRequest | WalletOrderRequest,
    options: IdempotentCallOptions,
  ): Promise<CreatedOrder> {
    const headers: Record<string, string> = {};
    if (order.language) headers["accept-language"] = order.language;
    if (order.theme) headers.theme = order.theme;
    const response = await withoutToken(
      this.post("createOrder", "/ecommerce/orders", orderBody(order), options, headers),
      order.config?.googlePay?.token,
    );
    return createdOrder(response, "createOrder", order.config);
  }

  /**
   * A charge of a saved card with the customer present (`recurrent`): a new basket
   * at `POST /ecommerce/orders/{parent_order_id}`, answered like create-order; the
   * customer confirms on the bank's page, which shows the saved card.
   */
  async chargeSavedCard(
    parentBankOrderId: string,
    order: CreateOrderRequest,
    options: IdempotentCallOptions,
  ): Promise<PageOrderCreated> {
    const headers: Record<string, string> = {};
    if (order.language) headers["accept-language"] = order.language;
    if (order.theme) headers.theme = order.theme;
    const response = await this.post(
      "cardOrder",
      `/ecommerce/orders/${encodeURIComponent(parentBankOrderId)}`,
      orderBody(order),
      options,
      headers,
    );
    return createdOrder(response, "cardOrder", order.config) as PageOrderCreated;
  }

  /**
   * Saves the card of an order the customer has not paid yet (the bank refuses it
   * afterwards): `PUT /orders/{id}/cards` for charges with the customer,
   * `/subscriptions` for automatic ones. No body; 202.
   */
  async saveCard(
    bankOrderId: string,
    type: SavedCardType,
    options: IdempotentCallOptions,
  ): Promise<void> {
    const path = type === "recurrent" ? "cards" : "subscriptions";
    await this.call(
      "saveCard",
      "PUT",
      `/orders/${encodeURIComponent(bankOrderId)}/${path}`,
      undefined,
      options,
    );
  }

  /**
   * An automatic charge of a saved card (`subscription`), without the customer: the
   * bank copies amount, currency and buyer from the parent order. The outcome comes
   * by callback (or a lookup of the new order).
   */
  async subscribe(
    parentBankOrderId: string,
    charge: { callbackUrl: string; externalOrderId: string },
    options: IdempotentCallOptions,
  ): Promise<SubscriptionCharge> {
    const answer = json(
      await this.post(
        "subscribe",
        `/ecommerce/orders/${encodeURIComponent(parentBankOrderId)}/subscribe`,
        { callback_url: charge.callbackUrl, external_order_id: charge.externalOrderId },
        options,
      ),
      "subscribe",
    );
    if (typeof answer.id !== "string" || answer.id === "") {
      throw new BankResponseError("the bank's subscribe answer has no id");
    }
    const links = answer._links as { details?: unknown } | undefined;
    return { bankOrderId: answer.id, detailsUrl: href(links?.details) };
  }

  /** Deletes a saved card at the bank (`DELETE /charges/card/{order_id}`; 202). */
  async deleteSavedCard(bankOrderId: string, options: IdempotentCallOptions): Promise<void> {
    await this.call(
      "deleteCard",
      "DELETE",
      `/charges/card/${encodeURIComponent(bankOrderId)}`,
      undefined,
      options,
    );
  }

  /**
   * Pays an Apple Pay order made with `config.apple_pay.external`: the token the
   * customer's Apple Pay sheet gave the shop's page, sent whole.
   */
  async completeApplePay(
    bankOrderId: string,
    applePayToken: string,
    options: IdempotentCallOptions,
  ): Promise<WalletPayment> {
    const answer = json(
      await withoutToken(
        this.post(
          "applePay",
          `/ecommerce/orders/${encodeURIComponent(bankOrderId)}/payment`,
          { apple_pay_token: applePayToken },
          options,
        ),
        applePayToken,
      ),
      "applePay",
    );
    const links = answer._links as { details?: unknown } | undefined;
    return {
      bankOrderId: typeof answer.id === "string" && answer.id !== "" ? answer.id : bankOrderId,
      status: typeof answer.status === "string" && answer.status !== "" ? answer.status : null,
      details: orderDetails(answer.order_details),
      detailsUrl: href(links?.details),
    };
  }

  async getPaymentDetails(bankOrderId: string, options: CallOptions): Promise<PaymentDetails> {
    const response = await this.authorised(
      "receipt",
      (token) => ({
        operation: "receipt",
        method: "GET",
        url: `${this.options.endpoints.apiBaseUrl}/receipt/${encodeURIComponent(bankOrderId)}`,
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        retrySafe: true,
      }),
      options.deadline,
    );
    const details = parsePaymentDetails(json(response, "receipt"));
    if (details.knownStatus === null) {
      this.options.log?.warn("the bank reported a status we do not know; kept as written", {
        bankOrderId,
        status: details.status,
      });
    }
    return details;
  }

  /** Refunds `amount`, or everything still refundable when it is omitted. */
  refund(
    bankOrderId: string,
    options: IdempotentCallOptions & { amount?: Minor },
  ): Promise<ActionAccepted> {
    const body = options.amount === undefined ? {} : { amount: amountToNumber(options.amount) };
    return this.action(
      "refund",
      `/payment/refund/${encodeURIComponent(bankOrderId)}`,
      body,
      options,
    );
  }

  approvePreauthorization(
    bankOrderId: string,
    options: IdempotentCallOptions & { amount?: Minor; description?: string },
  ): Promise<ActionAccepted> {
    const body = {
      amount: options.amount === undefined ? undefined : amountToNumber(options.amount),
      description: options.description,
    };
    return this.action(
      "approve",
      `/payment/authorization/approve/${encodeURIComponent(bankOrderId)}`,
      body,
      options,
    );
  }

  cancelPreauthorization(
    bankOrderId: string,
    options: IdempotentCallOptions & { description?: string },
  ): Promise<ActionAccepted> {
    const body = { description: options.description };
    return this.action(
      "cancel",
      `/payment/authorization/cancel/${encodeURIComponent(bankOrderId)}`,
      body,
      options,
    );
  }

  private async action(
    operation: string,
    path: string,
    body: unknown,
    options: IdempotentCallOptions,
  ): Promise<ActionAccepted> {
    const answer = json(await this.post(operation, path, body, options), operation);
    const textOf = (value: unknown) => (typeof value === "string" ? value : null);
    return {
      actionId: textOf(answer.action_id),
      key: textOf(answer.key),
      message: textOf(answer.message),
    };
  }

  private post(
    operation: string,
    path: string,
    body: unknown,
    options: IdempotentCallOptions,
    extraHeaders: Record<string, string> = {},
  ): Promise<BankResponse> {
    return this.call(operation, "POST", path, body, options, extraHeaders);
  }

  /**
   * A call that changes something at the bank, with its Idempotency-Key: safe to
   * retry by the rules create-order follows. `body` undefined sends none (PUT, DELETE).
   */
  private call(
    operation: string,
    method: "POST" | "PUT" | "DELETE",
    path: string,
    body: unknown,
    options: IdempotentCallOptions,
    extraHeaders: Record<string, string> = {},
  ): Promise<BankResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return this.authorised(
      operation,
      (token) => ({
        operation,
        method,
        url: `${this.options.endpoints.apiBaseUrl}${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          accept: "application/json",
          "idempotency-key": options.idempotencyKey,
          ...extraHeaders,
        },
        body: payload,
        retrySafe: true,
      }),
      options.deadline,
    );
  }

  /** Sends with a token; on 401 drops it and tries again with a fresh one (see MAX_TOKEN_REFUSALS). */
  private async authorised(
    operation: string,
    build: (token: string) => BankRequest,
    deadline: number,
  ): Promise<BankResponse> {
    const started = Date.now();
    const report = (failed: boolean) =>
      this.options.onCall?.({ operation, ms: Date.now() - started, failed });
    try {
      const response = await this.send(operation, build, deadline);
      report(false);
      return response;
    } catch (error) {
      report(true);
      throw error;
    }
  }

  private async send(
    operation: string,
    build: (token: string) => BankRequest,
    deadline: number,
  ): Promise<BankResponse> {
    const { tokens, policy, onThrottled } = this.options;
    let token = await tokens.get(deadline);
    let response = await sendToBank(build(token), { deadline, policy, onThrottled });
    // The replacement may be another container's cached token, refused too (the bank
    // revoked both): that one is dropped as well, and the next comes from the bank.
    for (let refused = 1; response.status === 401; refused += 1) {
      if (refused > MAX_TOKEN_REFUSALS) {
        throw new BankUnauthorizedError(`the bank refused a fresh token for ${operation}`);
      }
      await tokens.invalidate(token);
      token = await tokens.get(deadline);
      response = await sendToBank(build(token), { deadline, policy, onThrottled });
    }
    if (response.status >= 400) {
      throw new BankRejectedError(operation, response.status, bankMessage(response.text));
    }
    return response;
  }
}

/** The payment details an answer carries, when whole enough to read; else null (a lookup reads them). */
function orderDetails(value: unknown): PaymentDetails | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  try {
    return parsePaymentDetails(value);
  } catch (error) {
    if (error instanceof BankResponseError) return null;
    throw error;
  }
}

/**
 * A wallet token is never stored or logged: should the bank quote it in a refusal
 * (its error texts are not documented), even in part (its message is cut to a few
 * hundred characters), the message is withheld.
 */
async function withoutToken<T>(call: Promise<T>, token: string | undefined): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!token || !(error instanceof BankRejectedError)) throw error;
    if (!quotes(error.bankMessage, token)) throw error;
    throw new BankRejectedError(
      error.operation,
      error.status,
      "(the bank's message quoted the wallet token; withheld)",
    );
  }
}

/** Whether `message` holds any 12 characters in a row of `token`, raw or JSON-escaped. */
function quotes(message: string, token: string): boolean {
  const WINDOW = 12;
  const forms = [token, JSON.stringify(token).slice(1, -1)];
  for (let i = 0; i + WINDOW <= message.length; i += 1) {
    const piece = message.slice(i, i + WINDOW);
    if (forms.some((form) => form.includes(piece))) return true;
  }
  return false;
}

/** The create-order answer (and a saved card's charge, answered alike), checked. */
function createdOrder(
  response: BankResponse,
  operation: string,
  config: CreateOrderRequest["config"] | WalletOrderRequest["config"],
): CreatedOrder {
  const body = json(response, operation);
  const links = (typeof body._links === "object" && body._links !== null ? body._links : {}) as {
    redirect?: unknown;
    details?: unknown;
    accept?: unknown;
  };
  const redirectUrl = href(links.redirect);
  if (typeof body.id !== "string" || body.id === "") {
    throw new BankResponseError(`the bank's ${operation} answer has no id`);
  }
  if (redirectUrl === null && !hasWallet(config)) {
    throw new BankResponseError(`the bank's ${operation} answer has no redirect link`);
  }
  return {
    bankOrderId: body.id,
    status: typeof body.status === "string" && body.status !== "" ? body.status : null,
    redirectUrl,
    acceptUrl: href(links.accept),
    detailsUrl: href(links.details),
  };
}
