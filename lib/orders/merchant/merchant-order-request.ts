import * as z from "zod/mini";
import { CURRENCIES, type Currency } from "../../bog/vocabulary.js";
import { SAVED_CARD_TYPES } from "../../cards/card.js";
import { customerRefField } from "../../cards/customer-ref.js";
import { invalidRequest } from "../../domain-error.js";
import { isLoopbackHost } from "../../loopback.js";
import { type Minor, parseAmount } from "../../money.js";
import { isDiscountId, MAX_DISCOUNT_ID } from "../checkout/catalog-file.js";
import { holdPaymentMethods } from "../checkout/hold-methods.js";
import { readLineDetails } from "../checkout/line-details.js";
import {
  accountTagField,
  campaignField,
  campaignOption,
  loanField,
  loanOption,
} from "../checkout/order-options.js";
import type { PricedItem } from "../checkout/pricing.js";
import {
  amount,
  buyerFields,
  canonicalHash,
  type Presentation,
  parseBody,
  presentationFields,
  presentationOf,
  quantity,
  text,
} from "../checkout/request-fields.js";
import type { SaveCard } from "../model/order.js";

/**
 * POST /merchant/orders: the shop's own basket and prices, from a trusted caller
 * (IAM in AWS). Trusted with prices, not with arithmetic: line totals and the total
 * are computed here, and a field we do not know (say a `total`) is refused rather
 * than ignored, so that a typo never goes unnoticed. The bank's rules apply to the
 * basket: whole quantities, two-decimal amounts, one currency, bounded sizes; an
 * item's `unitDiscount` (off each unit) at most its `unitPrice`, its `discountId` the
 * bank's `product_discount_id`.
 */

export const MAX_METADATA_PAIRS = 20;

const url = (name: string) =>
  z.string().check(
    z.maxLength(2048, `${name} must be at most 2048 characters`),
    z.refine((value) => {
      try {
        const parsed = new URL(value);
        return (
          parsed.protocol === "https:" ||
          (parsed.protocol === "http:" && isLoopbackHost(parsed.hostname))
        );
      } catch {
        return false;
      }
    }, `${name} must be an https URL (http only for localhost)`),
  );

/** Up to MAX_METADATA_PAIRS string pairs the shop keeps on an order. */
export const metadataField = z
  .record(
    text(40, "a metadata key"),
    z.string().check(z.maxLength(500, "a metadata value must be at most 500 characters")),
  )
  .check(
    z.refine(
      (value) => Object.keys(value).length <= MAX_METADATA_PAIRS,
      `metadata holds at most ${MAX_METADATA_PAIRS} pairs`,
    ),
  );

function schema(maxItems: number) {
  return z.strictObject({
    reference: z.optional(text(64, "reference")),
    currency: z.enum(CURRENCIES, `currency must be one of ${CURRENCIES.join(", ")}`),
    items: z
      .array(
        z.strictObject({
          productId: text(128, "productId"),
          description: text(255, "description"),
          quantity,
          unitPrice: amount("unitPrice"),
          unitDiscount: z.optional(amount("unitDiscount")),
          discountId: z.optional(
            z
              .string("discountId must be a string")
              .check(
                z.refine(
                  isDiscountId,
                  `discountId must be 1 to ${MAX_DISCOUNT_ID} printable characters`,
                ),
              ),
          ),
          // The bank's documented line fields, each checked by `line-details.ts`.
          vatPercent: z.optional(z.string("vatPercent must be a string")),
          image: z.optional(z.string("image must be a string")),
          packageCode: z.optional(z.string("packageCode must be a string")),
          tin: z.optional(z.string("tin must be a string")),
          pinfl: z.optional(z.string("pinfl must be a string")),
        }),
        "items must be an array",
      )
      .check(
        z.minLength(1, "items must not be empty"),
        z.maxLength(maxItems, `at most ${maxItems} items per order`),
      ),
    delivery: z.optional(amount("delivery")),
    metadata: z.optional(metadataField),
    successUrl: z.optional(url("successUrl")),
    failUrl: z.optional(url("failUrl")),
    ...presentationFields,
    // Trusted callers are told about a field we do not know, inside `buyer` too.
    buyer: z.optional(z.strictObject(buyerFields)),
    loan: loanField,
    campaign: campaignField,
    accountTag: accountTagField,
    saveCard: z.optional(
      z.enum(SAVED_CARD_TYPES, `saveCard must be one of ${SAVED_CARD_TYPES.join(", ")}`),
    ),
    customerRef: z.optional(customerRefField),
  });
}

export interface MerchantOrderRequest extends Presentation {
  reference: string | null;
  currency: Currency;
  items: PricedItem[];
  delivery: Minor;
  metadata: Record<string, string> | null;
  successUrl: string | undefined;
  failUrl: string | undefined;
  /** The bank is to save the card of this payment for this customer (docs/saved-cards.md). */
  saveCard: SaveCard | undefined;
}

export function parseMerchantOrderRequest(
  body: unknown,
  limits: { maxItems: number; defaultTtlMinutes: number; captureMode: "automatic" | "manual" },
): MerchantOrderRequest {
  const data = parseBody(schema(limits.maxItems), body);
  const capture = data.capture ?? limits.captureMode;
  const aboveUnitPrice = data.items.flatMap((item, i) => {
    // Both amounts passed the schema, so both parse.
    const discount = item.unitDiscount === undefined ? undefined : parseAmount(item.unitDiscount);
    const price = parseAmount(item.unitPrice);
    return discount !== undefined && price !== undefined && discount > price
      ? [{ path: `items.${i}.unitDiscount`, message: "unitDiscount must be at most unitPrice" }]
      : [];
  });
  if (aboveUnitPrice.length > 0) {
    throw invalidRequest("unitDiscount must be at most unitPrice", aboveUnitPrice);
  }
  const lineDetails = data.items.map((item, i) => readLineDetails(item, `items.${i}.`));
  const badDetails = lineDetails.flatMap((read) => read.problems);
  if (badDetails.length > 0) {
    throw invalidRequest(badDetails[0]?.message ?? "invalid line details", badDetails);
  }
  // A saved card belongs to a customer of the shop: one without the other means nothing.
  if (data.saveCard !== undefined && data.customerRef === undefined) {
    throw invalidRequest("customerRef is required with saveCard", [
      { path: "customerRef", message: "required with saveCard" },
    ]);
  }
  if (data.customerRef !== undefined && data.saveCard === undefined) {
    throw invalidRequest("customerRef is only for saveCard", [
      { path: "customerRef", message: "only with saveCard" },
    ]);
  }
  const ids = data.items.map((item) => item.productId);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) {
    throw invalidRequest("each productId once per order", [
      {
        path: `items.${ids.lastIndexOf(repeated)}.productId`,
        message: `${repeated} is listed twice`,
      },
    ]);
  }
  return {
    reference: data.reference ?? null,
    currency: data.currency,
    items: data.items.map((item, i) => ({
      productId: item.productId,
      description: item.description,
      quantity: item.quantity,
      unitPrice: parseAmount(item.unitPrice) as Minor,
      // Left out when not given, so that a basket without discounts hashes as it always has.
      ...(item.unitDiscount === undefined
        ? {}
        : { unitDiscount: parseAmount(item.unitDiscount) as Minor }),
      ...(item.discountId === undefined ? {} : { discountId: item.discountId }),
      // Left out when none is given, like the discount: older baskets hash as they did.
      ...(Object.keys(lineDetails[i]?.details ?? {}).length > 0
        ? { details: lineDetails[i]?.details }
        : {}),
    })),
    delivery: data.delivery === undefined ? 0 : (parseAmount(data.delivery) as Minor),
    metadata: data.metadata && Object.keys(data.metadata).length > 0 ? data.metadata : null,
    successUrl: data.successUrl,
    failUrl: data.failUrl,
    saveCard:
      data.saveCard === undefined || data.customerRef === undefined
        ? undefined
        : { type: data.saveCard, customerRef: data.customerRef },
    ...presentationOf(
      // A hold asked for in the request names its methods; one from the shop's setting gets card.
      {
        ...data,
        paymentMethods: holdPaymentMethods(
          data.paymentMethods,
          capture,
          data.capture === undefined ? "card" : "refuse",
        ),
      },
      capture,
      limits.defaultTtlMinutes,
      {
        loan: loanOption(data.loan, data.paymentMethods),
        campaign: campaignOption(data.campaign, data.paymentMethods),
        account: data.accountTag === undefined ? undefined : { tag: data.accountTag },
      },
    ),
  };
}

/** The idempotency hash of a merchant request: the same basket, however written, is the same request. */
export function merchantRequestHash(request: MerchantOrderRequest): string {
  return canonicalHash({
    ...request,
    items: [...request.items].sort((a, b) => (a.productId < b.productId ? -1 : 1)),
    paymentMethods: request.paymentMethods ? [...request.paymentMethods].sort() : undefined,
  });
}
