import type { BogClient } from "../bog/client.js";
import type { MerchantIdentity } from "../bog/merchant-id.js";
import { applyBankAnswer, type BankAnswerDeps } from "./apply-bank-answer.js";
import { isOpen } from "./open-orders.js";
import type { Order } from "./order.js";

/**
 * Asks the bank about one of our orders and applies its answer by the callback's
 * rules. The bank order id is the one our create-order got, so what the bank says is
 * ours (and tells us the merchant's id). Answers the order as it is afterwards.
 * The caller holds the order's lookup lease; a bank failure is the caller's to handle.
 */

export interface RefreshDeps extends BankAnswerDeps {
  bank: BogClient;
  merchant: MerchantIdentity;
}

export async function refreshFromBank(
  order: Order & { bankOrderId: string },
  deadline: number,
  source: "bank" | "merchant" | "reconcile",
  deps: RefreshDeps,
): Promise<Order> {
  const details = await deps.bank.getPaymentDetails(order.bankOrderId, { deadline });
  await deps.merchant.learn(details.merchantId);
  const applied = await applyBankAnswer(
    order.orderId,
    details,
    { merchantId: null, source: "bank", historySource: source },
    deps,
  );
  if (applied.outcome === "stored" && applied.order) {
    deps.log.info("status reconciled with the bank", {
      from: order.status,
      to: applied.order.status,
    });
    return applied.order;
  }
  const current = applied.order ?? order;
  if (applied.outcome === "unchanged")
    await deps.orders.markChecked(
      order.orderId,
      deps.now(),
      isOpen(current) && { createdAt: current.createdAt },
    );
  return current;
}
