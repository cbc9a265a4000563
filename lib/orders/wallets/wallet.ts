import * as z from "zod/mini";
import type { WalletConfig } from "../../bog/order-options.js";
import type { PaymentMethod } from "../../bog/vocabulary.js";
import { invalidRequest } from "../../domain-error.js";

/**
 * Google Pay and Apple Pay started on the shop's own page (docs/create-order-options.md): the
 * customer's wallet gives the page a token, which travels through POST /orders
 * (Google Pay, one step) or POST /orders/{orderId}/wallet-payment (Apple Pay's
 * second step) to the bank, whole, and is never stored or logged. A wallet order
 * is paid with that wallet only: `paymentMethods`, when given, must be exactly it.
 */

const WALLET_TYPES = ["google_pay", "apple_pay"] as const;
export type WalletType = (typeof WALLET_TYPES)[number];

/**
 * The longest token taken. The bank documents none; a Google Pay token is a few
 * kilobytes (an ECv2 signed message), an Apple Pay token about as much: 16 KiB is
 * ample and keeps a flood of huge bodies away from the bank.
 */
const MAX_WALLET_TOKEN = 16_384;

const token = (path: string) =>
  z.string(`${path} must be a string`).check(
    z.refine((value) => value.trim() !== "", `${path} must not be empty`),
    z.maxLength(MAX_WALLET_TOKEN, `${path} must be at most ${MAX_WALLET_TOKEN} characters`),
  );

export const walletField = z.optional(
  z.strictObject({
    type: z.enum(WALLET_TYPES, `wallet.type must be one of ${WALLET_TYPES.join(", ")}`),
    token: z.optional(token("wallet.token")),
  }),
);

/** The body of POST /orders/{orderId}/wallet-payment: Apple Pay's token. */
export const walletPaymentSchema = z.strictObject({ token: token("token") });

/** A validated wallet request, token included: for the bank call only, never stored. */
export interface WalletRequest {
  type: WalletType;
  /** Google Pay's token (Apple Pay's comes in the second step). */
  token?: string;
}

/**
 * A wallet request by the bank's rules: Google Pay needs its token now; Apple Pay's
 * token belongs to the second step; the order's only payment method is the wallet.
 * Answers the payment methods the order is placed with.
 */
export function walletOption(
  wallet: WalletRequest | undefined,
  paymentMethods: PaymentMethod[] | undefined,
): { wallet: WalletRequest | undefined; paymentMethods: PaymentMethod[] | undefined } {
  if (wallet === undefined) return { wallet, paymentMethods };
  if (
    paymentMethods !== undefined &&
    !(paymentMethods.length === 1 && paymentMethods[0] === wallet.type)
  ) {
    throw invalidRequest(`a ${wallet.type} wallet payment is paid with ${wallet.type} only`, [
      { path: "paymentMethods", message: `must be ["${wallet.type}"] or left out with wallet` },
    ]);
  }
  if (wallet.type === "google_pay" && wallet.token === undefined) {
    throw invalidRequest("a Google Pay payment needs the token the Google Pay button gave", [
      { path: "wallet.token", message: "is required for google_pay" },
    ]);
  }
  if (wallet.type === "apple_pay" && wallet.token !== undefined) {
    throw invalidRequest(
      "the Apple Pay token goes to POST /orders/{orderId}/wallet-payment, after the order is created",
      [{ path: "wallet.token", message: "is not taken for apple_pay here" }],
    );
  }
  return { wallet, paymentMethods: [wallet.type] };
}

/** The bank's `config` for a wallet payment on the shop's page. */
export function walletConfig(wallet: WalletRequest): WalletConfig {
  return wallet.type === "google_pay"
    ? // Stryker disable next-line StringLiteral: walletOption refuses a Google Pay wallet without a token (400) before any config is built: never taken
      { googlePay: { external: true, token: wallet.token ?? "" } }
    : { applePay: { external: true } };
}
