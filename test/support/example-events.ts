import type { OrderEventDetail } from "../../lib/events/order-event.js";

/** An order event as the bus carries it (openapi.yaml, OrderStatusChanged): a paid order. */
export function exampleOrderEvent(overrides: Partial<OrderEventDetail> = {}): OrderEventDetail {
  return {
    orderId: "3f0c1c5e-8d52-4e2b-9a7f-1b2c3d4e5f60",
    reference: "shop-order-1042",
    status: "completed",
    previousStatus: "created",
    amount: "25.00",
    currency: "GEL",
    capturedAmount: null,
    refundedAmount: null,
    paymentMethod: "card",
    rejectReason: null,
    occurredAt: "2026-11-26T20:03:11Z",
    version: 3,
    ...overrides,
  };
}
