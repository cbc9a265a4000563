import { formatAmount, type Minor } from "../../money.js";
import type { Anomaly, HistoryEntry, Order } from "../model/order.js";

/**
 * What the merchant API shows of an order (docs/merchant-api.md): amounts as decimal strings,
 * no buyer data, no card data, no internal field (leases, hashes, keys).
 */

const amountOrNull = (minor: Minor | null) => (minor === null ? null : formatAmount(minor));

export interface OrderSummary {
  orderId: string;
  reference: string | null;
  status: string;
  amount: string;
  currency: string;
  paymentMethod: string | null;
  createdAt: string;
  updatedAt: string;
}

export function orderSummary(order: Order): OrderSummary {
  return {
    orderId: order.orderId,
    reference: order.reference,
    status: order.status,
    amount: formatAmount(order.amount),
    currency: order.currency,
    paymentMethod: order.paymentMethod,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

interface OperationView {
  operationId: string;
  kind: string;
  amount: string | null;
  state: string;
  source: string;
  requestedAt: string;
  updatedAt: string;
  note: string | null;
  bankMessage: string | null;
}

export interface OrderDetail extends OrderSummary {
  items: Array<{
    productId: string;
    description: string;
    quantity: number;
    unitPrice: string;
    /** Off each unit, or null for none. */
    unitDiscount: string | null;
    /** The bank's discount promotion (`product_discount_id`), or null. */
    discountId: string | null;
    lineTotal: string;
  }>;
  delivery: string | null;
  capture: string;
  capturedAmount: string | null;
  /** What the bank charged (docs/create-order-options.md); less than `amount` when it applied a discount. */
  chargedAmount: string | null;
  /** The bank's discount, when it applied one: amounts as decimal strings. */
  discount: {
    bankDiscountAmount: string | null;
    bankDiscountDesc: string | null;
    systemDiscountAmount: string | null;
    systemDiscountDesc: string | null;
    discountedAmount: string | null;
    originalOrderAmount: string | null;
  } | null;
  refundedAmount: string | null;
  rejectReason: string | null;
  bankOrderId: string | null;
  expiresAt: string;
  metadata: Record<string, string> | null;
  /** The create-order options used: `loan` {code, months}, `campaign`, `accountTag`; a field not given is null. */
  options: {
    loan: { code: string | null; months: number | null } | null;
    campaign: { card: string | null; type: string | null } | null;
    accountTag: string | null;
  };
  anomalies: Anomaly[];
  history: HistoryEntry[];
  operations: OperationView[];
}

export function orderDetail(order: Order): OrderDetail {
  return {
    ...orderSummary(order),
    items: order.lines.map((line) => ({
      productId: line.productId,
      description: line.description,
      quantity: line.quantity,
      unitPrice: formatAmount(line.unitPrice),
      unitDiscount: line.unitDiscount > 0 ? formatAmount(line.unitDiscount) : null,
      discountId: line.discountId,
      lineTotal: formatAmount(line.lineTotal),
    })),
    delivery: order.delivery > 0 ? formatAmount(order.delivery) : null,
    capture: order.capture,
    capturedAmount: amountOrNull(order.capturedAmount),
    chargedAmount: amountOrNull(order.chargedAmount),
    discount: order.bankDiscount && {
      bankDiscountAmount: amountOrNull(order.bankDiscount.bankDiscountAmount),
      bankDiscountDesc: order.bankDiscount.bankDiscountDesc,
      systemDiscountAmount: amountOrNull(order.bankDiscount.systemDiscountAmount),
      systemDiscountDesc: order.bankDiscount.systemDiscountDesc,
      discountedAmount: amountOrNull(order.bankDiscount.discountedAmount),
      originalOrderAmount: amountOrNull(order.bankDiscount.originalOrderAmount),
    },
    refundedAmount: amountOrNull(order.refundAmount),
    rejectReason: order.rejectReason,
    bankOrderId: order.bankOrderId,
    expiresAt: order.expiresAt,
    metadata: order.metadata,
    options: {
      loan: order.options?.loan
        ? { code: order.options.loan.type ?? null, months: order.options.loan.month ?? null }
        : null,
      campaign: order.options?.campaign
        ? { card: order.options.campaign.card ?? null, type: order.options.campaign.type ?? null }
        : null,
      accountTag: order.options?.account?.tag ?? null,
    },
    anomalies: order.anomalies,
    history: order.history,
    operations: order.operations.map((op) => ({
      operationId: op.operationId,
      kind: op.kind,
      amount: amountOrNull(op.amount),
      state: op.state,
      source: op.source,
      requestedAt: op.requestedAt,
      updatedAt: op.updatedAt,
      note: op.note,
      bankMessage: op.bankMessage,
    })),
  };
}
