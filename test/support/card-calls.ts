import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { post } from "./bank-calls.js";
import type { useFunctions } from "./functions.js";
import { idempotencyKey } from "./merchant-calls.js";

/** A merchant basket of one 30.00 GEL item. */
export const BASKET = {
  currency: "GEL",
  items: [{ productId: "box", description: "Coffee box", quantity: 1, unitPrice: "30.00" }],
};

/** A customerRef of its own for each test. */
export const customer = () => `cust-${randomUUID().slice(0, 8)}`;

/** The merchant API's card routes (docs/saved-cards.md), as API Gateway routes them, and a saved card. */
export function cardCalls(fx: ReturnType<typeof useFunctions>) {
  const create = (body: unknown, headers: Record<string, string> = idempotencyKey()) =>
    fx.merchant("POST /merchant/orders", { path: "/merchant/orders", body, headers });

  const show = (orderId: string, query?: string) =>
    fx.merchant("GET /merchant/orders/{orderId}", {
      path: `/merchant/orders/${orderId}`,
      pathParameters: { orderId },
      query,
    });

  const cardsOf = (customerRef: string) =>
    fx.merchant("GET /merchant/customers/{customerRef}/cards", {
      path: `/merchant/customers/${encodeURIComponent(customerRef)}/cards`,
      pathParameters: { customerRef },
    });

  const charge = (
    cardId: string,
    body?: unknown,
    headers: Record<string, string> = idempotencyKey(),
  ) =>
    fx.merchant("POST /merchant/cards/{cardId}/charges", {
      path: `/merchant/cards/${cardId}/charges`,
      pathParameters: { cardId },
      body,
      headers,
    });

  const remove = (cardId: string) =>
    fx.merchant("DELETE /merchant/cards/{cardId}", {
      path: `/merchant/cards/${cardId}`,
      pathParameters: { cardId },
    });

  const bankOrderOf = async (orderId: string) => (await show(orderId)).body.bankOrderId as string;

  /** A checkout that saves the card of `customerRef`, paid on the bank's page (the callback arrives). */
  async function savedCard(
    type: "recurrent" | "subscription",
    customerRef: string,
    pay: Record<string, unknown> = {},
  ) {
    const created = await create({ ...BASKET, saveCard: type, customerRef });
    expect(created.status).toBe(201);
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderOf(orderId);
    const paid = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
      outcome: "completed",
      ...pay,
    });
    expect(paid.status).toBe(200);
    return { cardId: orderId, bankOrderId };
  }

  /** The order once its status is no longer `created` (the bank's callback decides it). */
  async function decided(orderId: string) {
    for (let i = 0; i < 300; i += 1) {
      const detail = await show(orderId);
      if (!["pending", "created"].includes(detail.body.status as string)) return detail.body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`order ${orderId} was never decided`);
  }

  return { create, show, cardsOf, charge, remove, bankOrderOf, savedCard, decided };
}
