/**
 * The bank's vocabulary, written from its API document ("Bank of Georgia online
 * payments API"): each list is the one the document gives for the field named
 * beside it, in the document's order. Nothing here comes from any client's code:
 * an emulator that shared a client's reading could not catch that reading's mistakes.
 */

/** Create order, `purchase_units.currency` (GEL is the default). */
export const CURRENCIES = ["GEL", "USD", "EUR", "GBP"] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Create order, `payment_method[]`. */
export const PAYMENT_METHODS = [
  "card",
  "google_pay",
  "apple_pay",
  "bog_p2p",
  "bog_loyalty",
  "bnpl",
  "bog_loan",
  "gift_card",
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Create order, `capture`: "This feature [manual] can only be used when paying
 * through Apple Pay, Google Pay or by a card."
 */
export const CAPTURES = ["automatic", "manual"] as const;
export type Capture = (typeof CAPTURES)[number];
export const MANUAL_CAPTURE_METHODS: readonly PaymentMethod[] = ["card", "google_pay", "apple_pay"];

/**
 * Create order, `payment_method`: google_pay and apple_pay are "payment through
 * Google Pay [Apple Pay] and by a bank card": the customer may pay by card too.
 */
export const CARD_TOO: Readonly<Partial<Record<PaymentMethod, PaymentMethod>>> = {
  google_pay: "card",
  apple_pay: "card",
};

/**
 * Create order, `config.loan`: "necessary if you wish the payment to be made only by
 * installment plan ("payment_method":["bog_loan"]) or only by bnpl ("payment_method":["bnpl"])".
 */
export const LOAN_METHODS: readonly PaymentMethod[] = ["bog_loan", "bnpl"];

/** Create order, header `Accept-Language` (ka is the default). */
export const LANGUAGES = ["ka", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Create order, header `Theme` (light is the default). */
export const THEMES = ["light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** Create order, `application_type`. */
export const APPLICATION_TYPES = ["web", "mobile"] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

/** Create order, `config.campaign.card`. */
export const CAMPAIGN_CARDS = ["visa", "mc", "solo"] as const;
export type CampaignCard = (typeof CAMPAIGN_CARDS)[number];

/** Create order, `config.campaign.type`. */
export const CAMPAIGN_TYPES = ["restrict", "client_discount"] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

/** Create order, `ttl`: "The minimum value is 2 minutes, and the maximum is 1440 … defaults to 15". */
export const TTL_MINUTES = { min: 2, max: 1440, default: 15 } as const;

/** Payment details, `order_status.key`. */
const ORDER_STATUSES = [
  "created",
  "processing",
  "completed",
  "rejected",
  "refund_requested",
  "refunded",
  "refunded_partially",
  "auth_requested",
  "blocked",
  "partial_completed",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Payment details, `payment_detail.transfer_method.key` (no gift_card in the document's list). */
const TRANSFER_METHODS = [
  "card",
  "google_pay",
  "apple_pay",
  "bog_p2p",
  "bog_loyalty",
  "bnpl",
  "bog_loan",
] as const;
export type TransferMethod = (typeof TRANSFER_METHODS)[number];

/** Payment details, `payment_detail.card_type`. */
export const CARD_TYPES = ["amex", "mc", "visa"] as const;
export type CardType = (typeof CARD_TYPES)[number];

/** Payment details, `payment_detail.payment_option`. */
const PAYMENT_OPTIONS = ["direct_debit", "recurrent", "subscription"] as const;
export type PaymentOption = (typeof PAYMENT_OPTIONS)[number];

/** Payment details, `payment_detail.saved_card_type`. */
const SAVED_CARD_TYPES = ["recurrent", "subscription"] as const;
export type SavedCardType = (typeof SAVED_CARD_TYPES)[number];

/** Payment details, `actions[].request_channel`. */
const REQUEST_CHANNELS = ["public_api", "business_manager", "support"] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/** Payment details, `actions[].action`. */
const ACTIONS = [
  "authorize",
  "partial_authorize",
  "cancel_authorize",
  "refund",
  "partial_refund",
] as const;
export type ActionKind = (typeof ACTIONS)[number];

/** Payment details, `actions[].status`. */
const ACTION_STATUSES = ["completed", "rejected"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** Callback, `event`: "The meaning is always order_payment." */
export const CALLBACK_EVENT = "order_payment";

/**
 * Capture manual: "If this operation is not performed within 30 days, the amount
 * will be automatically unblocked".
 */
export const HOLD_DAYS = 30;

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}
