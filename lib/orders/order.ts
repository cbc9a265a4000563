import type { Currency, PaymentMethod } from "../bog/client.js";
import type { Minor } from "../money.js";
import type { OrderStatus } from "./status-order.js";

/** An order as stored: what was priced, what the bank said, and nothing about the buyer. */

export interface OrderLine {
  productId: string;
  description: string;
  quantity: number;
  unitPrice: Minor;
  lineTotal: Minor;
}

/**
 * A bank message that was not applied because it did not match the order (another
 * merchant's, another bank order, other amounts): kept aside on the order for an
 * operator, never acted on.
 */
export interface Anomaly {
  /** ISO 8601, UTC */
  at: string;
  reason: string;
  /** The bank order id the message named. */
  bankOrderId: string;
  /** The status the message claimed. */
  status: string;
  source: "callback" | "bank";
}

export interface Order {
  orderId: string;
  status: OrderStatus;
  statusRank: number;
  currency: Currency;
  lines: OrderLine[];
  delivery: Minor;
  amount: Minor;
  capture: "automatic" | "manual";
  idempotencyKey: string | null;
  requestHash: string;
  /** ISO 8601, UTC */
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  bankOrderId: string | null;
  redirectUrl: string | null;
  paymentMethod: string | null;
  rejectReason: string | null;
  refundAmount: Minor | null;
  /** Why the bank call failed, while the order waits for a retry. */
  bankError: string | null;
  /** Epoch ms of the last time the bank confirmed this order's state. */
  lastBankCheckAt: number | null;
  /** A status the bank reported that we do not know, kept as written. */
  unknownBankStatus: string | null;
  /** Bank messages kept aside (newest last, bounded). */
  anomalies: Anomaly[];
  /** Epoch ms until which one request holds the right to call the bank's create-order. */
  bankCallUntil: number | null;
}

/** What GET /orders/{orderId} answers: no buyer data, no internal field. */
export interface OrderView {
  orderId: string;
  status: OrderStatus;
  amount: string;
  currency: Currency;
  paymentMethod: string | null;
  rejectReason: string | null;
  updatedAt: string;
}

export type { Currency, PaymentMethod };
