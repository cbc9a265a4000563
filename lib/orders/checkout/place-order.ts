import type {
  BasketLine,
  BogClient,
  CreateOrderRequest,
  WalletOrderRequest,
} from "../../bog/client.js";
import { type BankStatus, isBankStatus } from "../../bog/statuses.js";
import type { OrderConfig } from "../../config.js";
import { DomainError, secondsUntil } from "../../domain-error.js";
import { BankError, BankRejectedError } from "../../errors.js";
import { isoSeconds } from "../../iso-time.js";
import type { Log } from "../../log.js";
import { type MetricFn, ORDERS_CREATED } from "../../metrics.js";
import { formatAmount, type Minor } from "../../money.js";
import type { CardCharge, Order, OrderLine, SaveCard } from "../model/order.js";
import { statusRank } from "../model/status-rank.js";
import type { OrderStore } from "../storage/order-store.js";
import { type WalletRequest, walletConfig } from "../wallets/wallet.js";
import { placeAtBank } from "./bank-placement.js";
import { lineVat } from "./line-details.js";
import type { PricedOrder } from "./pricing.js";
import type { Presentation } from "./request-fields.js";

/**
 * Placing a priced order with the bank, the same for the shop's checkout and the
 * merchant API: write the order (and claim the Idempotency-Key) before the bank is
 * called; call the bank with the order id as its Idempotency-Key; record the bank's
 * order. A retry with the same key and request returns the same order, resuming it
 * if the bank call never finished; the same key with another request is a conflict.
 * While one request is calling the bank for an order, the others wait for it.
 */

export interface PlaceOrderDeps {
  orders: OrderStore;
  bank: BogClient;
  config: OrderConfig;
  log: Log;
  now: () => number;
  newId: () => string;
  metric: MetricFn;
}

/** What is to be placed: the priced basket and how the bank should present it. */
export interface OrderDraft extends Presentation {
  priced: PricedOrder;
  requestHash: string;
  origin: Order["origin"];
  reference: string | null;
  metadata: Record<string, string> | null;
  /** The shop's result pages for this order, overriding the configured templates (merchant API). */
  successUrl?: string;
  failUrl?: string;
  /** Paid with a wallet on the shop's page (public checkout): no payment page, maybe 3-D Secure. */
  wallet?: WalletRequest;
  /** The bank is to save the card of this payment, before the customer is sent to pay (docs/saved-cards.md). */
  saveCard?: SaveCard;
  /** A charge of a saved card (docs/saved-cards.md): the bank's charge call instead of create-order. */
  cardCharge?: CardCharge;
}

/** The order as the bank's create-order left it, with the status its answer carried (wallets). */
export interface BankPlaced {
  order: Order;
  /** This request's answer from the bank (a replay has none: see `order.walletAnswer`). */
  bankStatus: BankStatus | null;
}

/**
 * Whether the bank's create-order answer is on file: a page order has its payment
 * page; a wallet order its bank order id (its page, if 3-D Secure wants one, comes
 * with the answer; a callback that brought the id first means the bank has it).
 */
const isPlaced = (order: Order) =>
  order.redirectUrl !== null ||
  (order.walletType !== null && order.bankOrderId !== null) ||
  (order.cardCharge?.type === "subscription" && order.bankOrderId !== null);

export interface PlacedOrder {
  orderId: string;
  status: "created";
  amount: string;
  currency: string;
  redirectUrl: string;
  expiresAt: string;
}

function placed(order: Order): PlacedOrder {
  // Never a 201 without the payment page: the frontend could not send the customer anywhere.
  // Stryker disable next-line StringLiteral: no request reaches a placed order without its page: the error is a 500 whatever its message says
  if (order.redirectUrl === null) throw new Error(`order ${order.orderId} has no payment page`);
  return {
    orderId: order.orderId,
    status: "created",
    amount: formatAmount(order.amount),
    currency: order.currency,
    redirectUrl: order.redirectUrl,
    expiresAt: order.expiresAt,
  };
}

const fill = (template: string | undefined, orderId: string) =>
  template?.replaceAll("{orderId}", encodeURIComponent(orderId));

function bankRequest(
  order: Order,
  draft: OrderDraft,
  config: OrderConfig,
  ttlMinutes: number,
): CreateOrderRequest | WalletOrderRequest {
  const success = draft.successUrl ?? fill(config.successUrlTemplate, order.orderId);
  const fail = draft.failUrl ?? fill(config.failUrlTemplate, order.orderId);
  return {
    callbackUrl: config.callbackUrl,
    externalOrderId: order.orderId,
    currency: order.currency,
    total: order.amount,
    // A zero delivery is left out of the bank's request by the client (`bog/client.ts`).
    delivery: order.delivery,
    basket: order.lines.map(bankLine),
    ...totalDiscountOf(order.lines),
    capture: order.capture,
    // Equivalent mutant, not disabled (it shares its line with tested ones): → true: with neither page the bank gets redirect_urls {} (both fields undefined, dropped by JSON) instead of none: the same
    redirectUrls: success || fail ? { success, fail } : undefined,
    ttlMinutes,
    paymentMethods: draft.paymentMethods,
    buyer: draft.buyer,
    language: draft.locale,
    theme: draft.theme,
    ...(draft.wallet
      ? {
          config: { ...draft.options, ...walletConfig(draft.wallet) },
          // The bank uses it for Apple Pay: our checkout is the shop's web page.
          applicationType: draft.wallet.type === "apple_pay" ? ("web" as const) : undefined,
        }
      : { config: hasOptions(draft.options) ? draft.options : undefined }),
  };
}

/** A line as the bank's basket takes it: every documented field we have (docs/create-order-options.md). */
function bankLine(line: OrderLine): BasketLine {
  const { vatPercent, image, packageCode, tin, pinfl } = line.details ?? {};
  return {
    productId: line.productId,
    description: line.description,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    // Equivalent mutant, not disabled (it shares its line with tested ones): → true and `>` → `>=`: a line without a discount is then sent with unit_discount_price 0 instead of none: optional field, the bank reads both alike
    unitDiscountPrice: line.unitDiscount > 0 ? line.unitDiscount : undefined,
    productDiscountId: line.discountId ?? undefined,
    totalPrice: line.lineTotal,
    ...(vatPercent === undefined ? {} : { vatPercent, vat: lineVat(line.lineTotal, vatPercent) }),
    image,
    packageCode,
    tin,
    pinfl,
  };
}

/** `total_discount_amount`: the basket's discounts, when there are any. */
function totalDiscountOf(lines: readonly OrderLine[]): { totalDiscount?: Minor } {
  const discounts = lines.reduce((sum, line) => sum + line.unitDiscount * line.quantity, 0);
  return discounts > 0 ? { totalDiscount: discounts } : {};
}

const hasOptions = (options: OrderDraft["options"]) =>
  options.loan !== undefined || options.campaign !== undefined || options.account !== undefined;

/** The bank's saved-card calls (`bog/client.ts` operation names): a refusal is `bank_rejected`. */
const SAVED_CARD_CALLS: ReadonlySet<string> = new Set(["saveCard", "cardOrder", "subscribe"]);

/** How often a request that waits for another's bank call looks again. */
const WAIT_POLL_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A retry of an order the bank has not confirmed: take the right to call the bank,
 * or, while another request holds it, wait for that request's outcome. Never two
 * bank calls in flight for one order. Answers the order when another request
 * finished it; refuses with `idempotency_conflict` and the seconds to wait when the caller's time runs out first.
 */
async function claimOrWait(
  orderId: string,
  deadline: number,
  deps: PlaceOrderDeps,
): Promise<{ claimed: true } | { claimed: false; order: Order }> {
  for (;;) {
    const now = deps.now();
    const claim = await deps.orders.leases.claimPlacement(orderId, now, deadline);
    if (claim.claimed) return claim;
    // Stryker disable next-line StringLiteral: orders are never deleted, so none vanishes: the error is a 500 whatever its message says
    if (!claim.order) throw new Error(`order ${orderId} vanished while resuming it`);
    if (isPlaced(claim.order)) return { claimed: false, order: claim.order };
    const heldUntil = claim.order.bankCallUntil ?? now;
    // Stryker disable next-line ArithmeticOperator: a waiting retry gives up at most one poll (250 ms) later, still inside RESERVE_MS, with the same 409: timing only, not asserted
    // Equivalent mutant, not disabled (it shares its line with tested ones): `>=` → `>`, for the same reason
    if (now + WAIT_POLL_MS >= deadline) {
      throw new DomainError(
        "idempotency_conflict",
        "a request with this Idempotency-Key is still in progress; retry after Retry-After",
        { retryAfterSeconds: secondsUntil(heldUntil, now) },
      );
    }
    await sleep(WAIT_POLL_MS);
  }
}

function newOrder(
  draft: OrderDraft,
  idempotencyKey: string | undefined,
  deadline: number,
  deps: PlaceOrderDeps,
): Order {
  const now = deps.now();
  const at = isoSeconds(now);
  return {
    orderId: deps.newId(),
    origin: draft.origin,
    reference: draft.reference,
    metadata: draft.metadata,
    options: hasOptions(draft.options) ? draft.options : null,
    walletType: draft.wallet?.type ?? null,
    walletAnswer: null,
    walletPayUntil: null,
    status: "pending",
    statusRank: statusRank("pending"),
    ...draft.priced,
    capture: draft.capture,
    idempotencyKey: idempotencyKey ?? null,
    requestHash: draft.requestHash,
    createdAt: at,
    updatedAt: at,
    expiresAt: isoSeconds(now + draft.ttlMinutes * 60_000),
    bankOrderId: null,
    redirectUrl: null,
    paymentMethod: null,
    rejectReason: null,
    refundAmount: null,
    capturedAmount: null,
    chargedAmount: null,
    bankDiscount: null,
    refundCommitted: 0,
    bankError: null,
    lastBankCheckAt: null,
    unknownBankStatus: null,
    anomalies: [],
    version: 1,
    history: [{ at, status: "pending", source: "api" }],
    operations: [],
    // This request calls the bank for the new order; a concurrent retry waits for it.
    bankCallUntil: deadline,
    saveCard: draft.saveCard ?? null,
    cardCharge: draft.cardCharge ?? null,
  };
}

/** Places an order paid on the bank's payment page: answers where to send the customer. */
export async function placeOrder(
  draft: OrderDraft,
  idempotencyKey: string | undefined,
  deadline: number,
  deps: PlaceOrderDeps,
): Promise<PlacedOrder> {
  return placed((await placeWithBank(draft, idempotencyKey, deadline, deps)).order);
}

/** The rules above, for any order: answers it as the bank's create-order left it. */
export async function placeWithBank(
  draft: OrderDraft,
  idempotencyKey: string | undefined,
  deadline: number,
  deps: PlaceOrderDeps,
): Promise<BankPlaced> {
  const { orders, bank, config, log } = deps;
  const now = deps.now();
  let order = newOrder(draft, idempotencyKey, deadline, deps);
  const created = await orders.createPending(order);
  if (!created.created) {
    if (created.requestHash !== draft.requestHash) {
      throw new DomainError(
        "idempotency_conflict",
        "this Idempotency-Key was used with a different request",
      );
    }
    const existing = await orders.get(created.orderId);
    // Stryker disable next-line StringLiteral: orders are never deleted, so no key points at a missing one: the error is a 500 whatever its message says
    if (!existing) throw new Error(`idempotency key points at missing order ${created.orderId}`);
    log.appendKeys({ orderId: existing.orderId });
    if (isPlaced(existing)) {
      log.info("idempotent replay: same order");
      return { order: existing, bankStatus: null };
    }
    const resumed = await claimOrWait(existing.orderId, deadline, deps);
    if (!resumed.claimed) {
      log.info("idempotent replay: another request finished the order");
      return { order: resumed.order, bankStatus: null };
    }
    log.info("idempotent replay: resuming an order the bank has not confirmed");
    order = existing;
  } else {
    log.appendKeys({ orderId: order.orderId });
    log.info("order stored, calling the bank", { amount: order.amount, currency: order.currency });
  }

  const ttlLeft = Math.ceil((Date.parse(order.expiresAt) - now) / 60_000);
  // With a bank order on file (its answer was lost, its callback came), the bank
  // replays that order for our key: only its payment page is missing, never expired.
  // An automatic charge has no page to expire, and its lost answer may hide a charge:
  // a retry always resumes it with the same bank key, so it is never made twice.
  const automatic = order.cardCharge?.type === "subscription";
  if (ttlLeft < 2 && order.bankOrderId === null && !automatic)
    throw new DomainError(
      "idempotency_conflict",
      "this order has expired; start a new one with a new key",
    );
  try {
    const bankOrder = await placeAtBank(
      order,
      bankRequest(order, draft, config, Math.min(Math.max(ttlLeft, 2), 1440)),
      config,
      bank,
      deadline,
    );
    const answered =
      draft.wallet && bankOrder.status !== null && isBankStatus(bankOrder.status)
        ? bankOrder.status
        : null;
    const stored = await orders.recordBankOrder(
      order.orderId,
      bankOrder.bankOrderId,
      bankOrder.redirectUrl,
      isoSeconds(deps.now()),
      answered,
    );
    log.info("bank order created", { bankOrderId: bankOrder.bankOrderId });
    deps.metric(ORDERS_CREATED);
    return { order: stored, bankStatus: answered };
  } catch (error) {
    if (error instanceof BankError) {
      await orders.recordBankFailure(
        order.orderId,
        `${error.kind}: ${error.message}`,
        isoSeconds(deps.now()),
      );
    }
    // The bank refusing a saved card's save or charge is the merchant's to know, with its words.
    if (error instanceof BankRejectedError && SAVED_CARD_CALLS.has(error.operation)) {
      throw new DomainError("bank_rejected", error.bankMessage);
    }
    throw error;
  }
}
