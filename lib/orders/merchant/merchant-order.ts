import { orderNotFound } from "../../domain-error.js";
import { type LookupDeps, refreshFromBank } from "../bank-answers/lookup.js";
import type { Order } from "../model/order.js";
import { type OrderDetail, orderDetail } from "./merchant-views.js";

/**
 * GET /merchant/orders/{orderId}: the whole order as stored; with `?refresh=true`
 * the bank is asked first (the operator wants the bank's word now), unless another
 * request is asking it at this moment. A bank failure on an explicit refresh is the
 * caller's error (the bank unavailable), not hidden behind the stored state.
 */
export async function merchantOrder(
  orderId: string,
  refresh: boolean,
  deadline: number,
  deps: LookupDeps,
): Promise<OrderDetail> {
  const order = await deps.orders.get(orderId);
  if (!order) throw orderNotFound();
  deps.log.appendKeys({ orderId });
  if (!refresh || order.bankOrderId === null) return orderDetail(order);
  if (!(await deps.orders.leases.claimLookup(orderId, deps.now(), 0, deadline)))
    return orderDetail(order);
  const refreshed: Order = await refreshFromBank(
    { ...order, bankOrderId: order.bankOrderId },
    deadline,
    "merchant",
    deps,
  );
  return orderDetail(refreshed);
}
