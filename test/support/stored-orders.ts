import type { Order } from "../../lib/orders/model/order.js";
import { orderFromItem } from "../../lib/orders/storage/order-item.js";

/** An order's item as the orders table holds it: `created`, 25.00 GEL, two cups. */
export const STORED_ORDER_ITEM = {
  pk: "order#0e5d2b7a-8d1b-4b55-9a47-3f1f5d4c6a01",
  orderId: "0e5d2b7a-8d1b-4b55-9a47-3f1f5d4c6a01",
  status: "created",
  statusRank: 1,
  currency: "GEL",
  amount: 2500,
  delivery: 0,
  capture: "automatic",
  requestHash: "h",
  createdAt: "2026-03-01T09:30:00Z",
  updatedAt: "2026-03-01T09:30:00Z",
  expiresAt: "2026-03-01T10:00:00Z",
  lines: [{ productId: "sku-cup", description: "Cup", quantity: 2, unitPrice: 1250 }],
};

/** A `pending` order without a bank order, created 09:30 and expiring 10:00 UTC; `fields` override the item's. */
export const pendingOrder = (fields: Record<string, unknown> = {}): Order =>
  orderFromItem({
    orderId: "6f1c1b9e-0000-4000-8000-000000000001",
    status: "pending",
    statusRank: 0,
    currency: "GEL",
    amount: 2500,
    delivery: 0,
    lines: [],
    capture: "automatic",
    requestHash: "h",
    createdAt: "2026-03-01T09:30:00Z",
    updatedAt: "2026-03-01T09:30:00Z",
    expiresAt: "2026-03-01T10:00:00Z",
    ...fields,
  });
