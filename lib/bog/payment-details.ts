import { BankResponseError } from "../errors.js";
import { type Minor, parseAmount } from "../money.js";
import { type BankStatus, isBankStatus } from "./statuses.js";

/**
 * The bank's payment details (receipt and callback body), parsed tolerantly:
 * unknown fields pass, `null` is accepted wherever the bank has sent it, fields the
 * documentation promises may be missing, and an unknown status is kept as written
 * (and flagged) rather than refused. Only the order id and the status are required.
 *
 * Deliberately not kept: the buyer's name, e-mail and phone, and a payer
 * identifier that is not a masked card number (an account name, a name's first
 * letter, or anything with the whole number in it): nothing downstream needs them,
 * so nothing can leak them. The bank's masked card number, card type and expiry are
 * kept only for a saved card (docs/saved-cards.md: `saved_card_type` set), the number only
 * when it is masked.
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
  /** The saved card that paid, as the bank describes it; null when no saved card paid. */
  card: PaymentCard | null;
  /** payment_detail.saved_card_type: `recurrent` or `subscription` when the card is saved. */
  savedCardType: string | null;
  /** payment_detail.parent_order_id: the saved card's order, when a saved card paid. */
  parentOrderId: string | null;
  /** payment_detail.payment_option: `direct_debit`, `recurrent`, `subscription`. */
  paymentOption: string | null;
  /** `actions[]`: each refund, capture and cancel the bank records, with its outcome. */
  actions: BankAction[];
}

/** One entry of the bank's `actions[]`, as it wrote it; an amount it wrote oddly is null. */
export interface BankAction {
  actionId: string;
  /** `public_api` (ours), `business_manager`, `support`, or whatever the bank writes. */
  requestChannel: string | null;
  /** `authorize`, `partial_authorize`, `cancel_authorize`, `refund`, `partial_refund`. */
  action: string | null;
  /** `completed` or `rejected`. */
  status: string | null;
  amount: Minor | null;
}

/** A card as the bank shows it: never more than its mask. */
interface PaymentCard {
  /** payer_identifier, only when masked (e.g. `548888xxxxxx9893`); null otherwise. */
  mask: string | null;
  /** card_type: `visa`, `mc`, `amex`, … */
  type: string | null;
  /** card_expiry_date: `MM/YY`. */
  expiry: string | null;
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
  typeof value === "object" &&
  // Stryker disable next-line ConditionalExpression: → true: object(null) then answers null, not undefined; every caller reads it with ?. or !block, alike for both
  value !== null &&
  !Array.isArray(value)
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

/** The most digits a masked card number shows (first six and last four). */
const MAX_SHOWN_DIGITS = 10;

/** The bank's mask, when it is one: some digits hidden, at most ten shown. */
function maskOf(value: unknown): string | null {
  const mask = text(value);
  if (mask === null || mask.length > 32) return null;
  const digits = mask.replace(/\D/g, "").length;
  return /^[0-9]+[^0-9]+[0-9]*$/.test(mask) && digits <= MAX_SHOWN_DIGITS ? mask : null;
}

const CARD_METHODS = new Set(["card", "google_pay", "apple_pay"]);

/** The card, only when the bank says it is saved: a card that is not is none of our business. */
function cardOf(method: string | null, payment: Json | undefined): PaymentCard | null {
  if (!payment || method === null || !CARD_METHODS.has(method)) return null;
  if (text(payment.saved_card_type) === null) return null;
  const card = {
    // Apple Pay's identifier is a device number, not the card's: not a card mask.
    mask: method === "apple_pay" ? null : maskOf(payment.payer_identifier),
    type: text(payment.card_type),
    expiry: text(payment.card_expiry_date),
  };
  return card.mask === null && card.type === null && card.expiry === null ? null : card;
}

/** `actions[]`, tolerantly: null or not a list is none; an entry without an id is skipped. */
function actionsOf(value: unknown): BankAction[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const action = object(entry);
    const actionId = text(action?.action_id);
    if (!action || actionId === null) return [];
    return [
      {
        actionId,
        requestChannel: text(action.request_channel),
        action: text(action.action),
        status: text(action.status),
        amount: amount(action.amount),
      },
    ];
  });
}

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
  const paymentMethod = text(object(payment?.transfer_method)?.key);
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
    paymentMethod,
    paymentCode: text(payment?.code),
    lang: text(body.lang),
    zonedCreateDate: text(body.zoned_create_date),
    zonedExpireDate: text(body.zoned_expire_date),
    requestAccountTag: text(payment?.request_account_tag),
    transferAccountTag: text(payment?.transfer_account_tag),
    discount: discountOf(body.discount),
    card: cardOf(paymentMethod, payment),
    savedCardType: text(payment?.saved_card_type),
    parentOrderId: text(payment?.parent_order_id),
    paymentOption: text(payment?.payment_option),
    actions: actionsOf(body.actions),
  };
}
