import type { Minor } from "./amounts.js";
import type {
  ActionKind,
  ActionStatus,
  ApplicationType,
  CampaignCard,
  CampaignType,
  Capture,
  CardType,
  Currency,
  Language,
  OrderStatus,
  PaymentMethod,
  PaymentOption,
  RequestChannel,
  SavedCardType,
  Theme,
  TransferMethod,
} from "./document.js";

export type { SavedCardType };

/** `config` after validation; each part null when the order did not set it. */
export interface OrderConfig {
  /** `config.loan`; `type` and `month` each optional in the document. */
  loan: { type: string | null; month: number | null } | null;
  /** `config.campaign`; `card` and `type` each optional in the document. */
  campaign: { card: CampaignCard | null; type: CampaignType | null } | null;
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

/** Methods the bank allows partial refunds for (its refund page, in our reading notes). */
export const PARTIAL_REFUND_METHODS: readonly TransferMethod[] = [
  "card",
  "apple_pay",
  "google_pay",
];

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
  applicationType: ApplicationType | null;
  buyer: Buyer | null;
  currency: Currency;
  items: BasketItem[];
  delivery: Minor;
  total: Minor;
  /** `purchase_units.total_discount_amount`, when given. */
  totalDiscount: Minor | null;
  redirectUrls: { success: string | null; fail: string | null };
  ttlMinutes: number;
  paymentMethods: PaymentMethod[];
  lang: Language;
  theme: Theme;
  config: OrderConfig;
}

export interface Payment {
  method: TransferMethod;
  transactionId: string;
  payerIdentifier: string | null;
  paymentOption: PaymentOption | null;
  cardType: CardType | null;
  /** A SOLO card of the bank (its card_type stays one of the document's: mc or visa). */
  solo: boolean;
  cardExpiryDate: string | null;
}

interface OrderAction {
  actionId: string;
  requestChannel: RequestChannel;
  action: ActionKind;
  status: ActionStatus;
  at: number;
  amount: Minor;
}

export interface SandboxOrder extends OrderRequest {
  id: string;
  clientId: string;
  createdAt: number;
  expiresAt: number;
  status: OrderStatus;
  /** When the amount was blocked (capture manual): the 30-day release counts from here. */
  blockedAt: number | null;
  rejectReason: string | null;
  /** Amount taken from the buyer (captured, or blocked for a pre-authorization). */
  charged: Minor;
  refunded: Minor;
  payment: Payment | null;
  /** `payment_detail.code` of the payment's outcome (null before the customer pays). */
  responseCode: string | null;
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
