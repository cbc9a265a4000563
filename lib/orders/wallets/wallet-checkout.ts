import type { BankStatus } from "../../bog/statuses.js";
import { BankError } from "../../errors.js";
import { formatAmount } from "../../money.js";
import { type LookupDeps, refreshFromBank } from "../bank-answers/lookup.js";
import type { OrderDraft, PlaceOrderDeps } from "../checkout/place-order.js";
import { placeWithBank } from "../checkout/place-order.js";
import type { Order } from "../model/order.js";
import { type OrderStatus, statusRank } from "../model/status-rank.js";

/**
 * POST /orders with `wallet` (docs/create-order-options.md): the order is placed by the rules every
 * order follows, with the wallet's config. Google Pay answers at once: paid,
 * declined, or a 3-D Secure page to send the customer to; Apple Pay answers
 * `created` and waits for its token (`wallet-payment.ts`). When the bank's answer
 * says the order moved on, its payment details are read and applied by the
 * callback's rules at once, so that GET /orders/{id} agrees with this answer.
 */

export interface WalletCheckoutDeps extends PlaceOrderDeps, LookupDeps {
  /** The lookup lease get-status uses: one bank lookup per order at a time. */
  refreshMs: number;
}

export interface WalletPlacedOrder {
  orderId: string;
  status: OrderStatus;
  amount: string;
  currency: string;
  /** Only when the bank asks for 3-D Secure: where the customer finishes paying. */
  redirectUrl?: string;
  expiresAt: string;
}

export async function placeWalletOrder(
  draft: OrderDraft,
  idempotencyKey: string | undefined,
  deadline: number,
  deps: WalletCheckoutDeps,
): Promise<WalletPlacedOrder> {
  const { order, bankStatus } = await placeWithBank(draft, idempotencyKey, deadline, deps);
  // A replay (a double tap, a retry) answers as the bank answered the first request.
  const answered = bankStatus ?? order.walletAnswer;
  const confirmed = await confirm(order, answered, deadline, deps);
  // The details, once read, are the bank's last word; without them, its answer.
  const status = confirmed.read ? confirmed.order.status : later(order.status, answered);
  return {
    orderId: order.orderId,
    // Equivalent mutant, not disabled (it shares its line with tested ones): → false: placeWithBank answers an order that has its bank order (created or later) or throws: pending never reaches here
    status: status === "pending" ? "created" : status,
    amount: formatAmount(order.amount),
    currency: order.currency,
    ...(order.redirectUrl !== null && { redirectUrl: order.redirectUrl }),
    expiresAt: order.expiresAt,
  };
}

/** The bank's answer moved the order past what is stored: read and apply its details. */
async function confirm(
  order: Order,
  answered: BankStatus | null,
  deadline: number,
  deps: WalletCheckoutDeps,
): Promise<{ order: Order; read: boolean }> {
  const { bankOrderId } = order;
  const unread = { order, read: false };
  if (answered === null || bankOrderId === null) return unread;
  if (statusRank(answered) <= statusRank(order.status)) return unread;
  // A callback or a poll may be applying it already; then theirs is the write.
  if (!(await deps.orders.leases.claimLookup(order.orderId, deps.now(), deps.refreshMs, deadline)))
    return unread;
  try {
    return {
      order: await refreshFromBank({ ...order, bankOrderId }, deadline, "bank", deps),
      read: true,
    };
  } catch (error) {
    if (!(error instanceof BankError)) throw error;
    // The bank's answer stands; its callback (or the next poll) brings the details.
    deps.log.warn("could not read the wallet payment's details; answering the bank's status", {
      reason: error.message,
    });
    return unread;
  }
}

const later = (stored: OrderStatus, bank: BankStatus | null): OrderStatus =>
  bank !== null && statusRank(bank) > statusRank(stored) ? bank : stored;
