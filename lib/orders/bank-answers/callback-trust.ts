import type { PaymentDetails } from "../../bog/payment-details.js";
import type { Order } from "../model/order.js";

/**
 * What the bank says about an order moves it only if it is about that order. The
 * bank signs every merchant's callbacks with one key, and any merchant can put any
 * `external_order_id` in its own orders, so a valid signature is necessary, never
 * sufficient (docs/api.md). A message that fails any check here is kept aside as an
 * anomaly, never applied.
 *
 * `request_amount` is what the shop asked for and must equal the order;
 * `transfer_amount` (what the bank charged or captured) may be lower (a discount, a
 * partial capture, refunds) but never higher; `refund_amount` never exceeds what
 * was asked.
 */

export type AnomalyReason =
  | "other_merchant"
  | "not_our_order"
  | "bank_order_mismatch"
  | "bank_does_not_confirm"
  | "amounts_missing"
  | "currency_mismatch"
  | "amount_mismatch"
  | "capture_exceeds_authorized"
  | "refund_exceeds_charged";

export type MessageCheck =
  | { ok: true; currency: string; requestAmount: number }
  | { ok: false; reason: AnomalyReason };

/**
 * The checks a message can fail on its own, given the merchant's id when it is
 * known; when it passes, the amounts it asks the order to agree with.
 */
export function checkMessage(details: PaymentDetails, merchantId: string | null): MessageCheck {
  const fail = (reason: AnomalyReason): MessageCheck => ({ ok: false, reason });
  if (merchantId !== null && details.merchantId !== merchantId) return fail("other_merchant");
  const { currency, requestAmount, transferAmount, refundAmount } = details;
  if (requestAmount === null || currency === null) return fail("amounts_missing");
  if (transferAmount !== null && transferAmount > requestAmount)
    return fail("capture_exceeds_authorized");
  if (refundAmount !== null && refundAmount > requestAmount) return fail("refund_exceeds_charged");
  return { ok: true, currency, requestAmount };
}

/** What a message must agree on with the stored order. */
export interface OrderFacts {
  bankOrderId: string;
  currency: string;
  requestAmount: number;
}

/**
 * The checks against the stored order. The repository enforces the same in its
 * conditional write (so a race cannot slip past them); this names the one that failed.
 */
export function orderMismatch(
  facts: OrderFacts,
  order: Pick<Order, "bankOrderId" | "currency" | "amount">,
): AnomalyReason | null {
  if (order.bankOrderId !== null && order.bankOrderId !== facts.bankOrderId)
    return "bank_order_mismatch";
  if (facts.currency !== order.currency) return "currency_mismatch";
  if (facts.requestAmount !== order.amount) return "amount_mismatch";
  return null;
}
