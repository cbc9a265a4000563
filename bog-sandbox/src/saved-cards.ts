import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type BankHandler,
  bankEndpoint,
  createOrder as createOrderHandler,
  ownOrder,
} from "./api-routes.js";
import { bankError, json, mediaType, parseJson, parseJsonObject, type Reply } from "./http.js";
import { pay } from "./lifecycle.js";
import type { SandboxOrder, SavedCardType } from "./order-model.js";
import { OUR_READING } from "./readings.js";
import type { RequestContext, Route } from "./routes.js";
import { validateSubscribeRequest } from "./validate-order.js";

/**
 * The bank's saved cards (its `saved-card/*` pages), paths under /payments/v1:
 *
 * - `PUT /orders/{id}/cards` (recurrent: the customer pays again, present) and
 *   `PUT /orders/{id}/subscriptions` (automatic, without the customer): no body,
 *   202. Only before the customer pays: the bank saves the card of a payment still
 *   to come, so a shop that asks after the payment is refused.
 * - `POST /ecommerce/orders/{parent_order_id}`: the create-order body; a new order
 *   the customer confirms on the payment page, which shows the saved card.
 * - `POST /ecommerce/orders/{parent_order_id}/subscribe`: body optional
 *   `callback_url`, `external_order_id`; amount, currency and buyer are the parent's.
 *   Answers `{id, _links.details}`; the payment happens after the answer and is
 *   reported by callback (the fault target `subscriptionPayment` declines it).
 * - `DELETE /charges/card/{order_id}`: 202; the card cannot be charged afterwards.
 *
 * A saved card is charged only as what it was saved for (recurrent through the page,
 * subscription through subscribe), only once its first payment went through, and
 * never after it was deleted: otherwise `400 {"message": "Saved card not found"}`
 * (the bank's response code 102 says the same).
 */

const ORDER_ID = "([^/]+)";
const CARD_NOT_FOUND = "Saved card not found";

/** The first payment of a saved card went through: it has a card to charge. */
const paid = (order: SandboxOrder) =>
  order.payment !== null &&
  ["completed", "blocked", "partial_completed", "refunded", "refunded_partially"].includes(
    order.status,
  );

function saveCard(type: SavedCardType): BankHandler {
  return (ctx, clientId) => {
    const order = ownOrder(ctx, clientId);
    if (!order) return bankError(400, "Invalid order_id");
    if (order.parent) return bankError(400, "A saved card's charge cannot save a card");
    if (order.status !== "created") {
      return bankError(
        400,
        `The card can be saved only before the payment (order status: ${order.status})`,
      );
    }
    order.savedCardType = type;
    ctx.bank.log(`order ${order.id}: card to be saved as ${type}`);
    return { status: 202 };
  };
}

/** The parent order of a charge, when its card may be charged as `type`; else the refusal. */
function chargeable(
  ctx: RequestContext,
  clientId: string,
  type: SavedCardType,
): { ok: true; parent: SandboxOrder } | { ok: false; reply: Reply } {
  const parent = ownOrder(ctx, clientId);
  if (!parent) return { ok: false, reply: bankError(400, "Invalid order_id") };
  if (parent.savedCardType !== type || parent.savedCardDeleted || !paid(parent)) {
    return { ok: false, reply: bankError(400, CARD_NOT_FOUND) };
  }
  return { ok: true, parent };
}

function linkTo(
  child: SandboxOrder,
  parent: SandboxOrder & { payment: NonNullable<SandboxOrder["payment"]> },
  type: SavedCardType,
) {
  child.parent = { id: parent.id, option: type, card: { ...parent.payment } };
}

/**
 * A saved card's charge is paid by that card (a sandbox reading): its `payment_method`
 * may name card only, and no wallet on the shop's page pays it instead.
 */
function notByTheSavedCard(body: Record<string, unknown> | undefined): string | undefined {
  if (!body) return undefined; // create-order's own rules refuse it
  const methods = body.payment_method;
  if (Array.isArray(methods) && methods.some((m) => m !== "card")) {
    return `payment_method of a saved card's charge may only be ["card"] ${OUR_READING}`;
  }
  const config = body.config as Record<string, { external?: unknown } | undefined> | undefined;
  if (config?.google_pay?.external === true || config?.apple_pay?.external === true) {
    return `a saved card's charge is not paid by a wallet on the shop's page ${OUR_READING}`;
  }
  return undefined;
}

/** A charge with the customer: create-order's rules and answer, for the saved card's page. */
const cardOrder: BankHandler = async (ctx, clientId) => {
  const found = chargeable(ctx, clientId, "recurrent");
  if (!found.ok) return found.reply;
  const parent = found.parent as SandboxOrder & { payment: NonNullable<SandboxOrder["payment"]> };
  const refusal = notByTheSavedCard(parseJsonObject(ctx.body));
  if (refusal) return bankError(400, refusal);
  const reply = await createOrderHandler(ctx, clientId);
  const id = (reply.body as { id?: unknown } | undefined)?.id;
  const child = typeof id === "string" ? ctx.bank.find(id) : undefined;
  if (child) linkTo(child, parent, "recurrent");
  return reply;
};

/** An automatic charge: the parent's amount, currency, basket and buyer; decided after the answer. */
const subscribe: BankHandler = (ctx, clientId) => {
  const found = chargeable(ctx, clientId, "subscription");
  if (!found.ok) return found.reply;
  const parent = found.parent as SandboxOrder & { payment: NonNullable<SandboxOrder["payment"]> };
  if (ctx.body.length > 0 && mediaType(ctx.req) !== "application/json") {
    return bankError(415, "Content-Type must be application/json");
  }
  const parsed = parseJson(ctx.body, {});
  if (!parsed.ok) return bankError(400, "Malformed JSON request body");
  const validation = validateSubscribeRequest(parsed.value);
  if (!validation.ok) return bankError(400, validation.problems.join("; "));
  const child = ctx.bank.createOrder(clientId, {
    callbackUrl: validation.value.callbackUrl ?? parent.callbackUrl,
    externalOrderId: validation.value.externalOrderId,
    capture: "automatic",
    applicationType: null,
    buyer: parent.buyer,
    currency: parent.currency,
    items: parent.items.map((item) => ({ ...item })),
    delivery: parent.delivery,
    total: parent.total,
    totalDiscount: parent.totalDiscount,
    redirectUrls: { success: null, fail: null },
    ttlMinutes: parent.ttlMinutes,
    paymentMethods: ["card"],
    lang: parent.lang,
    theme: parent.theme,
    config: { ...parent.config, googlePay: null, applePay: null },
  });
  linkTo(child, parent, "subscription");
  ctx.bank.log(`order ${child.id}: automatic charge of ${parent.id}'s card`);
  void decideLater(ctx, child);
  return json(200, {
    id: child.id,
    _links: { details: { href: `${ctx.bank.baseUrl}/payments/v1/receipt/${child.id}` } },
  });
};

/** The bank decides an automatic payment after answering; a due fault declines or delays it. */
async function decideLater(ctx: RequestContext, child: SandboxOrder): Promise<void> {
  const fault = ctx.bank.faults.take("subscriptionPayment");
  // After the answer is written: the shop hears of the order before its outcome, usually.
  await sleep(Math.max(fault?.delayMs ?? 0, randomInt(5, 20)), undefined, { ref: false });
  const outcome = fault?.status ? "rejected" : "completed";
  try {
    await ctx.bank.apply(child, (o, now) => pay(o, outcome, "card", now));
  } catch (error) {
    ctx.bank.log(`automatic charge ${child.id} failed: ${error}`);
  }
}

const deleteCard: BankHandler = (ctx, clientId) => {
  const order = ownOrder(ctx, clientId);
  if (!order) return bankError(400, "Invalid order_id");
  if (order.savedCardType === null) return bankError(400, CARD_NOT_FOUND);
  // Deleting a deleted card changes nothing and is answered alike (a retry is safe).
  order.savedCardDeleted = true;
  ctx.bank.log(`order ${order.id}: saved card deleted`);
  return { status: 202 };
};

export const savedCardRoutes: Route[] = [
  {
    method: "PUT",
    path: new RegExp(`^/payments/v1/orders/${ORDER_ID}/cards$`),
    handler: bankEndpoint("saveCard", saveCard("recurrent")),
  },
  {
    method: "PUT",
    path: new RegExp(`^/payments/v1/orders/${ORDER_ID}/subscriptions$`),
    handler: bankEndpoint("saveCard", saveCard("subscription")),
  },
  {
    method: "POST",
    path: new RegExp(`^/payments/v1/ecommerce/orders/${ORDER_ID}/subscribe$`),
    handler: bankEndpoint("subscribe", subscribe),
  },
  {
    method: "POST",
    path: new RegExp(`^/payments/v1/ecommerce/orders/${ORDER_ID}$`),
    handler: bankEndpoint("cardOrder", cardOrder),
  },
  {
    method: "DELETE",
    path: new RegExp(`^/payments/v1/charges/card/${ORDER_ID}$`),
    handler: bankEndpoint("deleteCard", deleteCard),
  },
];
