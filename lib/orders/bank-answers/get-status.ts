import type { BogClient } from "../../bog/client.js";
import type { MerchantIdentity } from "../../bog/merchant-id.js";
import { orderNotFound } from "../../domain-error.js";
import { BankError } from "../../errors.js";
import type { Order, OrderView } from "../model/order.js";
import { orderView } from "../model/order-view.js";
import { isFinal } from "../model/status-rank.js";
import type { BankAnswerDeps } from "./apply-bank-answer.js";
import { refreshFromBank } from "./lookup.js";

/**
 * GET /orders/{orderId}. From the store; when the order is not final and the bank
 * has not confirmed it for `refreshMs`, ask the bank first, so that a lost callback
 * never leaves an order stuck. Of many concurrent polls (and unsigned callbacks),
 * one asks (a short lease); if the bank does not answer, the stored state is the
 * answer. The bank's answer is applied by the same rules as a callback.
 */

export interface OrderStatusDeps extends BankAnswerDeps {
  bank: BogClient;
  merchant: MerchantIdentity;
  refreshMs: number;
}

function needsRefresh(order: Order, now: number, refreshMs: number): boolean {
  if (isFinal(order.status) || order.bankOrderId === null) return false;
  return order.lastBankCheckAt === null || order.lastBankCheckAt < now - refreshMs;
}

export async function orderStatus(
  orderId: string,
  deadline: number,
  deps: OrderStatusDeps,
): Promise<OrderView> {
  const { orders, log } = deps;
  const order = await orders.get(orderId);
  if (!order) throw orderNotFound();
  log.appendKeys({ orderId });
  const now = deps.now();
  if (!needsRefresh(order, now, deps.refreshMs)) return orderView(order);
  if (!(await orders.leases.claimLookup(orderId, now, deps.refreshMs, deadline)))
    return orderView(order);

  try {
    return orderView(
      await refreshFromBank(
        { ...order, bankOrderId: order.bankOrderId as string },
        deadline,
        "bank",
        deps,
      ),
    );
  } catch (error) {
    if (!(error instanceof BankError)) throw error;
    log.warn("could not reconcile with the bank; answering the stored status", {
      reason: error.message,
    });
    return orderView(order);
  }
}
