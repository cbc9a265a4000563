import * as z from "zod/mini";
import {
  type AccountConfig,
  CAMPAIGN_CARDS,
  CAMPAIGN_TYPES,
  type CampaignConfig,
  type LoanConfig,
} from "../../bog/order-options.js";
import type { PaymentMethod } from "../../bog/vocabulary.js";
import { invalidRequest } from "../../domain-error.js";
import { text } from "./request-fields.js";

/**
 * The create-order options beyond the basket (docs/create-order-options.md), by the bank's rules:
 *
 * - installments / buy now, pay later: `loan` `{code?, months?}` (the bank calculator's
 *   `discount_code` and `month`, each optional as the bank documents them) only with
 *   exactly one payment method, `bog_loan` or `bnpl`, and required with it (the bank:
 *   "necessary if you wish the payment to be made only by installment plan … or only by
 *   bnpl"); the customer picks it on the shop's page, so both create paths take it;
 * - a card campaign `{card, type}` and the POS account tag: the shop's, from the stack's
 *   settings for public orders and from the trusted merchant request.
 */

const MAX_ACCOUNT_TAG = 64;
const MAX_LOAN_MONTHS = 120;
const LOAN_METHODS: ReadonlySet<string> = new Set(["bog_loan", "bnpl"]);

export const loanField = z.optional(
  z.strictObject({
    code: z.optional(text(64, "loan.code")),
    months: z.optional(
      z
        .int("loan.months must be a whole number of months")
        .check(
          z.gte(1, "loan.months must be a whole number from 1"),
          z.lte(MAX_LOAN_MONTHS, `loan.months must be at most ${MAX_LOAN_MONTHS}`),
        ),
    ),
  }),
);

export const campaignField = z.optional(
  z.strictObject({
    card: z.optional(
      z.enum(CAMPAIGN_CARDS, `campaign.card must be one of ${CAMPAIGN_CARDS.join(", ")}`),
    ),
    type: z.optional(
      z.enum(CAMPAIGN_TYPES, `campaign.type must be one of ${CAMPAIGN_TYPES.join(", ")}`),
    ),
  }),
);

export const accountTagField = z.optional(text(MAX_ACCOUNT_TAG, "accountTag"));

/** The options an order is placed with, as stored on it and sent to the bank. */
export interface OrderOptions {
  loan?: LoanConfig;
  campaign?: CampaignConfig;
  account?: AccountConfig;
}

/** Installments: required with exactly one loan method, and only with it. */
export function loanOption(
  loan: { code?: string | undefined; months?: number | undefined } | undefined,
  paymentMethods: PaymentMethod[] | undefined,
): LoanConfig | undefined {
  // Stryker disable next-line StringLiteral: with exactly one method its first is there: the fallback is never read, and the mutant's text is no loan method either
  const loanOnly = paymentMethods?.length === 1 && LOAN_METHODS.has(paymentMethods[0] ?? "");
  if (loan === undefined) {
    if (!loanOnly) return undefined;
    throw invalidRequest(`loan is required when paymentMethods is ["${paymentMethods?.[0]}"]`, [
      { path: "loan", message: 'required with paymentMethods ["bog_loan"] or ["bnpl"]' },
    ]);
  }
  if (!loanOnly) {
    throw invalidRequest('loan goes with exactly one payment method, "bog_loan" or "bnpl"', [
      { path: "paymentMethods", message: 'must be ["bog_loan"] or ["bnpl"] with loan' },
    ]);
  }
  return {
    ...(loan.code === undefined ? {} : { type: loan.code }),
    ...(loan.months === undefined ? {} : { month: loan.months }),
  };
}

/** A card campaign applies to card payments: with methods given, `card` must be one of them. */
export const campaignApplies = (paymentMethods: PaymentMethod[] | undefined) =>
  paymentMethods === undefined || paymentMethods.includes("card");

/** The trusted request's campaign: refused where it cannot apply. */
export function campaignOption(
  campaign: CampaignConfig | undefined,
  paymentMethods: PaymentMethod[] | undefined,
): CampaignConfig | undefined {
  if (campaign !== undefined && !campaignApplies(paymentMethods)) {
    throw invalidRequest("a card campaign needs card among paymentMethods", [
      { path: "campaign", message: 'paymentMethods must include "card"' },
    ]);
  }
  return campaign;
}
