import type { BogClient } from "../../bog/client.js";
import type { MerchantIdentity } from "../../bog/merchant-id.js";
import type { Order } from "../model/order.js";
import { finalCheckDue, isOpen } from "../storage/open-orders.js";
import {
  applyBankAnswer,
  type BankAnswerDeps,
  type BankAnswerOutcome,
} from "./apply-bank-answer.js";

/**
 * Asks the bank about one of our orders and applies its answer by the callback's
 * rules: the one path for every lookup (an unsigned callback, get-status, the
 * merchant's refresh, the sweep, a wallet's payment). The bank order id is the one our
 * create-order got, so what the bank says is ours (and tells us the merchant's id); an
 * answer that changes nothing marks the order checked, keeping it in the index of open
 * orders while it is open, and taking a final one out once its day-later check is done. The caller holds the order's lookup lease; a bank failure is
 * the caller's to handle.
 */

export interface LookupDeps extends BankAnswerDeps {
  bank: BogClient;
  merchant: MerchantIdentity;
}

export async function askBank(
  orderId: string,
  bankOrderId: string,
  deadline: number,
  source: "bank" | "merchant" | "reconcile",
  deps: LookupDeps,
): Promise<{ outcome: BankAnswerOutcome; order?: Order }> {
  const details = await deps.bank.getPaymentDetails(bankOrderId, { deadline });
  await deps.merchant.learn(details.merchantId);
  const applied = await applyBankAnswer(
    orderId,
    details,
    { merchantId: null, source: "bank", historySource: source },
    deps,
  );
  if (applied.outcome === "unchanged") {
    const current = applied.order;
    const now = deps.now();
    await deps.orders.leases.markChecked(
      orderId,
      now,
      current !== undefined && isOpen(current) && { createdAt: current.createdAt },
    );
    // A final order confirmed a day after its last change is done with (`open-orders.ts`).
    if (current !== undefined && !isOpen(current) && finalCheckDue(current, now))
      await deps.orders.reindexIfUnchanged(current, true);
  }
  return applied;
}

/** `askBank` for an order in hand: answers the order as it is afterwards. */
export async function refreshFromBank(
  order: Order & { bankOrderId: string },
  deadline: number,
  source: "bank" | "merchant" | "reconcile",
  deps: LookupDeps,
): Promise<Order> {
  const applied = await askBank(order.orderId, order.bankOrderId, deadline, source, deps);
  if (applied.outcome === "stored" && applied.order) {
    deps.log.info("status reconciled with the bank", {
      from: order.status,
      to: applied.order.status,
    });
  }
  return applied.order ?? order;
}
