/**
 * The create-order options beyond the basket, as the bank documents them
 * (shared/reference/bog-payments-api.md, section 2, and its reading notes), in our
 * terms, and how each is written in the bank's shape. Validation of what a shop may
 * ask for belongs to the order rules; this module only types and serialises.
 */

const APPLICATION_TYPES = ["web", "mobile"] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

export const CAMPAIGN_CARDS = ["visa", "mc", "solo"] as const;
type CampaignCard = (typeof CAMPAIGN_CARDS)[number];

export const CAMPAIGN_TYPES = ["restrict", "client_discount"] as const;
type CampaignType = (typeof CAMPAIGN_TYPES)[number];

/**
 * `config.loan`: the bank's installment calculator's answer, with exactly one method,
 * bog_loan or bnpl; "necessary" for an order payable only by one of them. Its `type`
 * and `month` are each optional in the bank's document.
 */
export interface LoanConfig {
  /** The calculator's `discount_code` (sent as `config.loan.type`). */
  type?: string;
  /** The calculator's `month`. */
  month?: number;
}

/** `config.campaign`: a card-type restriction or a discount for one card type; each field optional. */
export interface CampaignConfig {
  card?: CampaignCard;
  type?: CampaignType;
}

/** `config.account`: which of the shop's e-commerce POS terminals (and so accounts) settles. */
export interface AccountConfig {
  tag: string;
}

/** `config.google_pay` for a payment made with the Google Pay button on the shop's own page. */
interface GooglePayConfig {
  external: true;
  /** The Google Pay SDK's token, whole and unmodified (sent as `google_pay_token`). */
  token: string;
}

/** `config.apple_pay` for a payment made with the Apple Pay button on the shop's own page. */
interface ApplePayConfig {
  external: true;
}

/** The options a payment on the bank's page can have. */
export interface OrderConfig {
  loan?: LoanConfig;
  campaign?: CampaignConfig;
  account?: AccountConfig;
}

/** A wallet payment on the shop's own page: exactly one of Google Pay or Apple Pay. */
export type WalletConfig =
  | { googlePay: GooglePayConfig; applePay?: undefined }
  | { applePay: ApplePayConfig; googlePay?: undefined };

type AnyConfig = OrderConfig & { googlePay?: GooglePayConfig; applePay?: ApplePayConfig };

/** Whether the order is paid with a wallet on the shop's page (no payment page to redirect to). */
export function hasWallet(config: AnyConfig | undefined): boolean {
  return config?.googlePay !== undefined || config?.applePay !== undefined;
}

/** `config` in the bank's shape; undefined when nothing is set (the field is then left out). */
export function configBody(config: AnyConfig | undefined) {
  if (!config) return undefined;
  const { loan, campaign, account, googlePay, applePay } = config;
  if (!loan && !campaign && !account && !googlePay && !applePay) return undefined;
  return {
    loan: loan && { type: loan.type, month: loan.month },
    campaign: campaign && { card: campaign.card, type: campaign.type },
    account: account && { tag: account.tag },
    google_pay: googlePay && { external: googlePay.external, google_pay_token: googlePay.token },
    apple_pay: applePay && { external: applePay.external },
  };
}
