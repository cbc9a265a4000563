import * as z from "zod/mini";
import type { CampaignConfig } from "../../bog/order-options.js";
import { invalidRequest } from "../../domain-error.js";
import { type WalletRequest, walletField, walletOption } from "../wallets/wallet.js";
import { holdPaymentMethods } from "./hold-methods.js";
import { campaignApplies, loanField, loanOption } from "./order-options.js";
import {
  canonicalHash,
  MAX_QUANTITY,
  type Presentation,
  parseBody,
  presentationFields,
  presentationOf,
  quantity,
  text,
} from "./request-fields.js";

/**
 * POST /orders, validated at the edge. Only `items` is required. Unknown fields,
 * price-like ones included, are dropped and never used: prices come from the
 * catalog. The same product twice is merged (quantities added, the sum within the
 * limit). The request hash, over the normalised request, tells a retry from a
 * different request under the same Idempotency-Key.
 */

function schema(maxItems: number) {
  return z.object({
    items: z
      .array(z.object({ productId: text(128, "productId"), quantity }), "items must be an array")
      .check(
        z.minLength(1, "items must not be empty"),
        z.maxLength(maxItems, `at most ${maxItems} items per order`),
      ),
    ...presentationFields,
    loan: loanField,
    wallet: walletField,
  });
}

export interface OrderRequest extends Presentation {
  items: Array<{ productId: string; quantity: number }>;
  /** Google Pay / Apple Pay on the shop's page; its token goes to the bank only. */
  wallet?: WalletRequest;
}

export function parseOrderRequest(
  body: unknown,
  limits: {
    maxItems: number;
    defaultTtlMinutes: number;
    captureMode: "automatic" | "manual";
    campaign?: CampaignConfig;
    accountTag?: string;
  },
): OrderRequest {
  const data = parseBody(schema(limits.maxItems), body);
  if (data.capture !== undefined && data.capture !== limits.captureMode) {
    // The capture mode is the shop's setting: a browser cannot turn a sale into a hold.
    throw invalidRequest(`capture must be ${limits.captureMode} (the shop's setting)`, [
      { path: "capture", message: `this shop's capture mode is ${limits.captureMode}` },
    ]);
  }
  const merged = new Map<string, number>();
  for (const item of data.items)
    merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  const items = [...merged].map(([productId, q]) => ({ productId, quantity: q }));
  const over = items.find((item) => item.quantity > MAX_QUANTITY);
  if (over) {
    throw invalidRequest(`quantity must be at most ${MAX_QUANTITY}`, [
      {
        path: "items",
        message: `${over.productId}: the same product's quantities add up to more than ${MAX_QUANTITY}`,
      },
    ]);
  }
  const { wallet, paymentMethods } = walletOption(data.wallet, data.paymentMethods);
  return {
    items,
    ...presentationOf(
      { ...data, paymentMethods: holdPaymentMethods(paymentMethods, limits.captureMode, "card") },
      limits.captureMode,
      limits.defaultTtlMinutes,
      {
        loan: loanOption(data.loan, paymentMethods),
        // The shop's campaign and POS account: settings, never the browser's to choose;
        // the campaign only where a card may pay (not with installments alone).
        campaign: campaignApplies(paymentMethods) ? limits.campaign : undefined,
        account: limits.accountTag === undefined ? undefined : { tag: limits.accountTag },
      },
    ),
    ...(wallet && { wallet }),
  };
}

/** SHA-256 of the normalised request, keys sorted, items in product order. */
export function requestHash(request: OrderRequest): string {
  return canonicalHash({
    ...request,
    // Stryker disable next-line EqualityOperator: lines of one product are merged before the hash, so none compare equal; sorted descending, every way of writing a basket still hashes alike
    items: [...request.items].sort((a, b) => (a.productId < b.productId ? -1 : 1)),
    paymentMethods: request.paymentMethods ? [...request.paymentMethods].sort() : undefined,
  });
}
