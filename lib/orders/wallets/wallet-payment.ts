import { createHash } from "node:crypto";
import type { BogClient } from "../../bog/client.js";
import type { MerchantIdentity } from "../../bog/merchant-id.js";
import { DomainError, orderNotFound, secondsUntil } from "../../domain-error.js";
import { BankError } from "../../errors.js";
import { applyBankAnswer, type BankAnswerDeps } from "../bank-answers/apply-bank-answer.js";
import { refreshFromBank } from "../bank-answers/lookup.js";
import type { Order, OrderView } from "../model/order.js";
import { orderView } from "../model/order-view.js";
import { statusRank } from "../model/status-rank.js";
import type { WalletPaymentStore } from "../storage/wallet-store.js";

/**
 * POST /orders/{orderId}/wallet-payment: Apple Pay's second step (docs/create-order-options.md). The
 * token the customer's Apple Pay sheet gave the shop's page goes to the bank for the
 * order created with `wallet: {type: "apple_pay"}`; the bank's answer carries the
 * payment's details, applied by the callback's rules. One request at a time per
 * order; once the order has moved past `created`, the answer is its state, and the
 * bank is not asked again. The token is never stored or logged.
 */

export interface WalletPaymentDeps extends BankAnswerDeps {
  bank: BogClient;
  merchant: MerchantIdentity;
  wallets: WalletPaymentStore;
}

const invalidState = (message: string) => new DomainError("invalid_state", message);

/**
 * The bank's Idempotency-Key for one token on one order: a retry of the same
 * request is replayed by the bank, never paid twice; another token (the customer
 * tried again after the bank refused the first) is a new request.
 */
export function applePayKey(orderId: string, token: string): string {
  const hex = createHash("sha256").update(`apple_pay\n${orderId}\n${token}`).digest("hex");
  // UUID v4 layout (version and variant bits), as the bank expects of a key.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function payWithApplePay(
  orderId: string,
  token: string,
  deadline: number,
  deps: WalletPaymentDeps,
): Promise<OrderView> {
  const { orders, log } = deps;
  const order = await orders.get(orderId);
  if (!order) throw orderNotFound();
  log.appendKeys({ orderId });
  const now = deps.now();
  const bankOrderId = readyForToken(order, now);
  if (bankOrderId === null) return orderView(order);

  const claim = await deps.wallets.claim(orderId, now, deadline);
  if (!claim.claimed) {
    if (claim.order && statusRank(claim.order.status) > statusRank("created"))
      return orderView(claim.order);
    const heldUntil = claim.order?.walletPayUntil ?? now;
    throw new DomainError(
      "idempotency_conflict",
      "this order's Apple Pay payment is in progress; retry after Retry-After",
      { retryAfterSeconds: secondsUntil(heldUntil, now) },
    );
  }
  if (claim.order.walletPayUnsure) {
    // An earlier send failed without a clear answer: if the bank took it, no new token goes.
    const settled = await paidDespite({ ...order, bankOrderId }, deadline, deps);
    if (settled) return orderView(settled);
  }
  let paid: Awaited<ReturnType<BogClient["completeApplePay"]>>;
  try {
    paid = await deps.bank.completeApplePay(bankOrderId, token, {
      idempotencyKey: applePayKey(orderId, token),
      deadline,
    });
  } catch (error) {
    if (!(error instanceof BankError)) throw error;
    // A timeout, a 5xx or a refusal may hide a payment the bank took (an answer lost,
    // or a new token for an order it has already paid): its details tell.
    const settled = await paidDespite({ ...order, bankOrderId }, deadline, deps);
    if (settled) return orderView(settled);
    await deps.wallets.release(orderId, deadline);
    throw error;
  }
  log.info("Apple Pay token sent to the bank", { bankOrderId, status: paid.status });
  if (paid.details === null) {
    // No details in the answer: read them, so that the state we answer is the bank's.
    return orderView(await refreshFromBank({ ...order, bankOrderId }, deadline, "bank", deps));
  }
  await deps.merchant.learn(paid.details.merchantId);
  const applied = await applyBankAnswer(
    orderId,
    paid.details,
    { merchantId: null, source: "bank" },
    deps,
  );
  return orderView(applied.order ?? (await orders.get(orderId)) ?? order);
}

/** The order's bank order id if the token may go to the bank now; null if the order is past it. */
function readyForToken(order: Order, now: number): string | null {
  if (order.walletType !== "apple_pay") {
    throw invalidState("this order is not paid with Apple Pay on the shop's page");
  }
  if (statusRank(order.status) > statusRank("created")) return null;
  if (order.bankOrderId === null) {
    throw invalidState(
      "the bank has not created this order yet; retry POST /orders with the same Idempotency-Key",
    );
  }
  if (Date.parse(order.expiresAt) <= now) throw invalidState("this order has expired");
  return order.bankOrderId;
}

/** Less time than this left: no lookup after a failed send (the caller's time comes first). */
const MIN_LOOKUP_MS = 1000;

/** The order as the bank's details show it, if they show it past `created`; else null. */
async function paidDespite(
  order: Order & { bankOrderId: string },
  deadline: number,
  deps: WalletPaymentDeps,
): Promise<Order | null> {
  if (deadline - deps.now() < MIN_LOOKUP_MS) return null;
  try {
    const refreshed = await refreshFromBank(order, deadline, "bank", deps);
    return statusRank(refreshed.status) > statusRank("created") ? refreshed : null;
  } catch (error) {
    if (error instanceof BankError) return null;
    throw error;
  }
}
