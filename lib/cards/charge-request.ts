import * as z from "zod/mini";
import type { OrderConfig } from "../config.js";
import { invalidRequest } from "../domain-error.js";
import { parseBody, text } from "../orders/checkout/request-fields.js";
import {
  type MerchantOrderRequest,
  metadataField,
  parseMerchantOrderRequest,
} from "../orders/merchant/merchant-order-request.js";
import type { SavedCardType } from "./card.js";

/**
 * The body of `POST /merchant/cards/{cardId}/charges`, by the card's type (docs/saved-cards.md):
 * a `recurrent` card's charge is a new basket, the body of `POST /merchant/orders`
 * (without `saveCard`: the card is saved already); a `subscription` card's is
 * `{reference?, metadata?}` only, since the bank repeats the first payment.
 */

export type ChargeRequest =
  | { type: "recurrent"; order: MerchantOrderRequest }
  | { type: "subscription"; reference: string | null; metadata: Record<string, string> | null };

const subscriptionSchema = z.strictObject({
  reference: z.optional(text(64, "reference")),
  metadata: z.optional(metadataField),
});

export function parseChargeRequest(
  type: SavedCardType,
  body: unknown,
  config: OrderConfig,
): ChargeRequest {
  if (type === "recurrent") {
    const order = parseMerchantOrderRequest(body, config);
    if (order.saveCard) {
      throw invalidRequest("a saved card's charge cannot save a card", [
        { path: "saveCard", message: "not allowed on a charge" },
      ]);
    }
    return { type, order };
  }
  const data = parseBody(subscriptionSchema, body);
  return {
    type,
    reference: data.reference ?? null,
    metadata: data.metadata && Object.keys(data.metadata).length > 0 ? data.metadata : null,
  };
}
