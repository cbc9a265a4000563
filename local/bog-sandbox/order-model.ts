import type { CampaignCard, CampaignType } from "../../lib/bog/order-options.js";
import type { BankStatus } from "../../lib/bog/statuses.js";
import type {
  Capture,
  Currency,
  Language,
  PaymentMethod,
  Theme,
} from "../../lib/bog/vocabulary.js";
import type { Minor } from "../../lib/money.js";

export {
  APPLICATION_TYPES,
  CAMPAIGN_CARDS,
  CAMPAIGN_TYPES,
} from "../../lib/bog/order-options.js";
export {
  CAPTURES,
  CURRENCIES,
  LANGUAGES,
  PAYMENT_METHODS,
  THEMES,
} from "../../lib/bog/vocabulary.js";
export type {
  BankStatus,
  CampaignCard,
  CampaignType,
  Capture,
  Currency,
  Language,
  PaymentMethod,
  Theme,
};

/** Card types a sandbox card can have (payment_detail.card_type, plus the bank's SOLO card). */
export const CARD_TYPES = ["mc", "visa", "solo", "amex"] as const;
export type CardType = (typeof CARD_TYPES)[number];

/** What the bank saves a card for: payments with the customer, or automatic ones without. */
export const SAVED_CARD_TYPES = ["recurrent", "subscription"] as const;
export type SavedCardType = (typeof SAVED_CARD_TYPES)[number];

/** Methods paid with a card (a wallet holds a card): the ones a card campaign concerns. */
export const CARD_METHODS: readonly PaymentMethod[] = ["card", "google_pay", "apple_pay"];

/** `config` after validation; each part null when the order did not set it. */
export interface OrderConfig {
  loan: { type: string; month: number } | null;
  campaign: { card: CampaignCard; type: CampaignType } | null;
  accountTag: string | null;
  googlePay: { external: boolean; token: string | null } | null;
  applePay: { external: boolean } | null;
}

export const NO_CONFIG: OrderConfig = {
  loan: null,
  campaign: null,
  accountTag: null,
  googlePay: null,
  applePay: null,
};

/** Methods the bank allows partial refunds for. */
export const PARTIAL_REFUND_METHODS: readonly PaymentMethod[] = ["card", "apple_pay", "google_pay"];

export interface BasketItem {
  productId: string;
  description: string | null;
  quantity: number;
  unitPrice: Minor;
  unitDiscountPrice: Minor;
  vat: Minor | null;
  vatPercent: number | null;
  totalPrice: Minor | null;
  image: string | null;
  packageCode: string | null;
  tin: string | null;
  pinfl: string | null;
  productDiscountId: string | null;
}

export interface Buyer {
  fullName: string | null;
  maskedEmail: string | null;
  maskedPhone: string | null;
}

/** A create-order request after validation: what the bank stores. */
export interface OrderRequest {
  callbackUrl: string;
  externalOrderId: string | null;
  capture: Capture;
  applicationType: "web" | "mobile" | null;
  buyer: Buyer | null;
  currency: Currency;
  items: BasketItem[];
  delivery: Minor;
  total: Minor;
  redirectUrls: { success: string | null; fail: string | null };
  ttlMinutes: number;
  paymentMethods: PaymentMethod[];
  lang: Language;
  theme: Theme;
  config: OrderConfig;
}

export interface Payment {
  method: PaymentMethod;
  transactionId: string;
  payerIdentifier: string | null;
  paymentOption: string | null;
  cardType: string | null;
  cardExpiryDate: string | null;
}

export interface OrderAction {
  actionId: string;
  requestChannel: "public_api" | "business_manager";
  action: "authorize" | "partial_authorize" | "cancel_authorize" | "refund" | "partial_refund";
  status: "completed" | "rejected";
  at: number;
  amount: Minor;
}

export interface SandboxOrder extends OrderRequest {
  id: string;
  clientId: string;
  createdAt: number;
  expiresAt: number;
  status: BankStatus;
  rejectReason: string | null;
  /** Amount taken from the buyer (captured, or blocked for a pre-authorization). */
  charged: Minor;
  refunded: Minor;
  payment: Payment | null;
  /** A client_discount campaign's discount, taken off the charge when the campaign's card paid. */
  discount: { amount: Minor; description: string } | null;
  actions: OrderAction[];
  /** What the bank saved this order's card for (`PUT …/cards` or `…/subscriptions`); null if not saved. */
  savedCardType: SavedCardType | null;
  /** The saved card was deleted (`DELETE /charges/card/{id}`): charging it is refused. */
  savedCardDeleted: boolean;
  /** A charge of a saved card: the order whose card it is, how it is charged, and the card. */
  parent: { id: string; option: SavedCardType; card: Payment } | null;
}
