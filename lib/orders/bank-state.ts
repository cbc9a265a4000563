import type { PaymentDetails } from "../bog/payment-details.js";
import type { BankState } from "./order-repository.js";

/**
 * The bank's payment details, reduced to what we store. Undefined for a status we
 * do not know (kept aside as written, never guessed into the order).
 */
export function bankStateFrom(details: PaymentDetails): BankState | undefined {
  if (details.knownStatus === null) return undefined;
  return {
    bankOrderId: details.bankOrderId,
    status: details.knownStatus,
    paymentMethod: details.paymentMethod,
    rejectReason: details.rejectReason,
    refundAmount: details.refundAmount,
  };
}
