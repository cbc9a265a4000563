import { BankResponseError } from "../errors.js";
import { type Minor, parseAmount } from "../money.js";
import { type BankStatus, isBankStatus } from "./statuses.js";

/**
 * The bank's payment details (receipt and callback body), parsed tolerantly:
 * unknown fields pass, `null` is accepted wherever the bank has sent it, fields the
 * documentation promises may be missing, and an unknown status is kept as written
 * (and flagged) rather than refused. Only the order id and the status are required.
 *
 * Deliberately not kept: the buyer's name, e-mail and phone, and the payer
 * identifier (masked card number): nothing downstream needs them, so nothing can
 * leak them.
 */

export interface PaymentDetails {
  bankOrderId: string;
  externalOrderId: string | null;
  /** client.id: the merchant the order belongs to (the bank signs every merchant's callbacks alike). */
  merchantId: string | null;
  /** order_status.key as the bank wrote it. */
  status: string;
  /** The same when it is one the bank documents; null for a status we do not know. */
  knownStatus: BankStatus | null;
  rejectReason: string | null;
  capture: string | null;
  currency: string | null;
  requestAmount: Minor | null;
  transferAmount: Minor | null;
  refundAmount: Minor | null;
  /** payment_detail.transfer_method.key: card, google_pay, … */
  paymentMethod: string | null;
  /** payment_detail.code, when present (genuine bodies omit it). */
  paymentCode: string | null;
  lang: string | null;
  zonedCreateDate: string | null;
  zonedExpireDate: string | null;
  /** payment_detail.request_account_tag: the POS terminal the order asked for (config.account.tag). */
  requestAccountTag: string | null;
  /** payment_detail.transfer_account_tag: the POS terminal the payment was processed on. */
  transferAccountTag: string | null;
  /** `discount`: a discount the bank or the card system applied; null when none (genuine bodies say null). */
  discount: PaymentDiscount | null;
}

/**
 * The bank's `discount` block, as it sends it. Amounts in minor units; an amount the
 * bank wrote in a form we cannot read is null, with its text kept in `raw`.
 */
export interface PaymentDiscount {
  bankDiscountAmount: Minor | null;
  bankDiscountDesc: string | null;
  systemDiscountAmount: Minor | null;
  systemDiscountDesc: string | null;
  /** What was charged after the discount. */
  discountedAmount: Minor | null;
  originalOrderAmount: Minor | null;
  /** The block exactly as the bank sent it (unknown fields included). */
  raw: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

const text = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : null;

const amount = (value: unknown): Minor | null => {
  if (typeof value === "number") return parseAmount(String(value)) ?? null;
  return typeof value === "string" ? (parseAmount(value.trim()) ?? null) : null;
};

/** The bank writes client.id as a string ("39155"); a number is read as its digits. */
const merchantIdOf = (value: unknown): string | null =>
  typeof value === "number" && Number.isSafeInteger(value) ? String(value) : text(value);

function discountOf(value: unknown): PaymentDiscount | null {
  const block = object(value);
  if (!block) return null;
  return {
    bankDiscountAmount: amount(block.bank_discount_amount),
    bankDiscountDesc: text(block.bank_discount_desc),
    systemDiscountAmount: amount(block.system_discount_amount),
    systemDiscountDesc: text(block.system_discount_desc),
    discountedAmount: amount(block.discounted_amount),
    originalOrderAmount: amount(block.original_order_amount),
    raw: { ...block },
  };
}

export function parsePaymentDetails(value: unknown): PaymentDetails {
  const body = object(value);
  const bankOrderId = text(body?.order_id);
  const status = text(object(body?.order_status)?.key);
  if (!body || !bankOrderId) throw new BankResponseError("payment details without order_id");
  if (!status) throw new BankResponseError("payment details without order_status.key");
  const units = object(body.purchase_units);
  const payment = object(body.payment_detail);
  return {
    bankOrderId,
    externalOrderId: text(body.external_order_id),
    merchantId: merchantIdOf(object(body.client)?.id),
    status,
    knownStatus: isBankStatus(status) ? status : null,
    rejectReason: text(body.reject_reason),
    capture: text(body.capture),
    currency: text(units?.currency_code),
    requestAmount: amount(units?.request_amount),
    transferAmount: amount(units?.transfer_amount),
    refundAmount: amount(units?.refund_amount),
    paymentMethod: text(object(payment?.transfer_method)?.key),
    paymentCode: text(payment?.code),
    lang: text(body.lang),
    zonedCreateDate: text(body.zoned_create_date),
    zonedExpireDate: text(body.zoned_expire_date),
    requestAccountTag: text(payment?.request_account_tag),
    transferAccountTag: text(payment?.transfer_account_tag),
    discount: discountOf(body.discount),
  };
}
