import type { Currency } from "../../bog/client.js";
import type { PaymentDiscount } from "../../bog/payment-details.js";
import type { BankStatus } from "../../bog/statuses.js";
import type { Minor } from "../../money.js";
import type { LineDetails } from "../checkout/line-details.js";
import type { OrderOptions } from "../checkout/order-options.js";
import type { WalletType } from "../wallets/wallet.js";
import type { OrderStatus } from "./status-rank.js";

/** An order as stored: what was priced, what the bank said, and nothing about the buyer. */

export interface OrderLine {
  productId: string;
  description: string;
  quantity: number;
  unitPrice: Minor;
  /** Minor units off each unit (the bank's `unit_discount_price`); 0 for none. */
  unitDiscount: Minor;
  /** The bank's discount promotion (`product_discount_id`), or null. */
  discountId: string | null;
  /** quantity × (unitPrice − unitDiscount). */
  lineTotal: Minor;
  /** VAT, image, package code, TIN, PINFL for the bank (`line-details.ts`); absent: none. */
  details?: LineDetails;
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

/** Who moved an order: our create-order call, the bank (by callback or our lookup), the sweep, the merchant API. */
export type ChangeSource = "api" | "callback" | "bank" | "reconcile" | "merchant";

/** One status change, in the same write that made it. */
export interface HistoryEntry {
  /** ISO 8601, UTC */
  at: string;
  status: OrderStatus;
  source: ChangeSource;
}

/** A refund, capture or void: `requested` until the bank's word makes it `completed` or `rejected`. */
export interface Operation {
  operationId: string;
  kind: "refund" | "capture" | "void";
  /** Minor units; null for a void, or a full refund/capture whose amount the bank decides. */
  amount: Minor | null;
  state: "requested" | "completed" | "rejected";
  /** `merchant`: asked for through the merchant API; `bank`: made elsewhere (the bank's Business Manager, its own systems). */
  source: "merchant" | "bank";
  requestedAt: string;
  updatedAt: string;
  /** The bank's action id, once the bank has it. */
  bankActionId: string | null;
  /** The bank took the request (its answer may carry no action id). Internal. */
  bankAccepted?: boolean;
  /** Epoch ms until which one request holds the right to send it to the bank. Internal. */
  bankCallUntil?: number;
  /** The merchant's reason (refund) or description (capture, void). */
  note: string | null;
  /** The bank's refusal, when it refused. */
  bankMessage: string | null;
}

/** A card to save with this order's payment (docs/saved-cards.md): the bank saves it, we keep whose it is. */
export interface SaveCard {
  type: "recurrent" | "subscription";
  /** The shop's own customer id. */
  customerRef: string;
}

/** This order charges a saved card: which, how, and the bank order whose card it is. */
export interface CardCharge {
  cardId: string;
  type: "recurrent" | "subscription";
  parentBankOrderId: string;
}

export interface Order {
  orderId: string;
  /** Which API created it: the shop's public checkout, or the merchant API (trusted prices). */
  origin: "shop" | "merchant";
  /** The shop's own order number (merchant API), ≤ 64 characters. */
  reference: string | null;
  /** Up to 20 string pairs the shop keeps on the order (merchant API). */
  metadata: Record<string, string> | null;
  /** The create-order options it was placed with (installments, campaign, POS account). */
  options: OrderOptions | null;
  /** Paid with this wallet on the shop's own page (docs/create-order-options.md); its token is never kept. */
  walletType: WalletType | null;
  /** The status the bank's answer to a wallet order carried (Google Pay: often final at once). */
  walletAnswer: BankStatus | null;
  /** Epoch ms until which one request holds the right to send the Apple Pay token. Internal. */
  walletPayUntil: number | null;
  /** A send of the Apple Pay token failed without a clear answer: ask the bank before the next. */
  walletPayUnsure?: boolean;
  /** +1 with every change of status or operation: `(orderId, version)` names one change. */
  version: number;
  /** Every status change, oldest first (the newest HISTORY_LIMIT kept). */
  history: HistoryEntry[];
  operations: Operation[];
  /** Minor units captured from a pre-authorization (`partial_completed` shows less than `amount`). */
  capturedAmount: Minor | null;
  /** What the bank charged when the payment completed (`transfer_amount`): at most `amount`. */
  chargedAmount: Minor | null;
  /**
   * What the bank blocked for a pre-authorization (`transfer_amount` while `blocked`): less
   * than `amount` after a bank discount; the most a capture may take. Absent on older items.
   */
  authorizedAmount?: Minor | null;
  /** The bank's `discount` block when it applied one (a campaign, a registered product discount). */
  bankDiscount: PaymentDiscount | null;
  /** Minor units refunded (the bank's total) plus refunds asked for and not yet settled. */
  refundCommitted: Minor;
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
  /** The card the bank saves with this payment (asked for before the customer pays). */
  saveCard: SaveCard | null;
  /** The saved card this order charges. */
  cardCharge: CardCharge | null;
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

export type { Currency };
