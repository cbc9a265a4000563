import type { BogClient } from "../bog/client.js";
import { BankError } from "../errors.js";
import { orderNotFound } from "../http/api-error.js";
import type { Log } from "../log.js";
import { bankStateFrom } from "./bank-state.js";
import type { Order, OrderView } from "./order.js";
import type { OrderRepository } from "./order-repository.js";
import { isoSeconds, orderView } from "./order-view.js";
import { isFinal } from "./status-order.js";

/**
 * GET /orders/{orderId}. From the store; when the order is not final and the bank
 * has not confirmed it for `refreshMs`, ask the bank first, so that a lost callback
 * never leaves an order stuck. Of many concurrent polls, one asks (a short lease);
 * if the bank does not answer, the stored state is the answer.
 */

export interface OrderStatusDeps {
  orders: OrderRepository;
  bank: BogClient;
  log: Log;
  now: () => number;
  refreshMs: number;
}

const REFRESH_LEASE_MS = 5000;

function needsRefresh(order: Order, now: number, refreshMs: number): boolean {
  if (isFinal(order.status) || order.bankOrderId === null) return false;
  return order.lastBankCheckAt === null || order.lastBankCheckAt < now - refreshMs;
}

export async function orderStatus(
  orderId: string,
  deadline: number,
  deps: OrderStatusDeps,
): Promise<OrderView> {
  const { orders, bank, log } = deps;
  const order = await orders.get(orderId);
  if (!order) throw orderNotFound();
  log.appendKeys({ orderId });
  const now = deps.now();
  if (!needsRefresh(order, now, deps.refreshMs)) return orderView(order);
  if (!(await orders.claimRefresh(orderId, now, now - deps.refreshMs, REFRESH_LEASE_MS)))
    return orderView(order);

  const bankOrderId = order.bankOrderId as string;
  try {
    const details = await bank.getPaymentDetails(bankOrderId, { deadline });
    const state = bankStateFrom(details);
    if (!state) {
      log.warn("the bank reports a status we do not know", { status: details.status });
      await orders.recordUnknownStatus(
        orderId,
        bankOrderId,
        details.status,
        isoSeconds(deps.now()),
      );
      return orderView(order);
    }
    const result = await orders.applyBankState(orderId, state, deps.now(), isoSeconds(deps.now()));
    if (result.outcome === "applied") {
      log.info("status reconciled with the bank", { from: order.status, to: result.order.status });
      return orderView(result.order);
    }
    await orders.markChecked(orderId, deps.now());
    return orderView(result.outcome === "unchanged" ? result.order : order);
  } catch (error) {
    if (!(error instanceof BankError)) throw error;
    log.warn("could not reconcile with the bank; answering the stored status", {
      reason: error.message,
    });
    return orderView(order);
  }
}
