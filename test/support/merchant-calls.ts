import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { post } from "./bank-calls.js";
import { type Answer, bankOrderIdOf, callbacksAnswered, type useFunctions } from "./functions.js";

/**
 * The merchant API's calls as a shop's backend makes them (docs/merchant-api.md), each with a
 * fresh Idempotency-Key unless the test gives one: one spelling for every test file.
 */

type Fx = ReturnType<typeof useFunctions>;

export const idempotencyKey = () => ({ "idempotency-key": randomUUID() });

/** POST /merchant/orders. */
export function merchantCreate(
  fx: Fx,
  body: unknown,
  headers: Record<string, string> = idempotencyKey(),
): Promise<Answer> {
  return fx.merchant("POST /merchant/orders", { path: "/merchant/orders", body, headers });
}

/** POST /merchant/orders/{orderId}/refund | capture | void. */
export async function merchantOperation(
  fx: Fx,
  orderId: string,
  kind: "refund" | "capture" | "void",
  body: unknown = {},
  headers: Record<string, string> = idempotencyKey(),
): Promise<Answer> {
  const answer = await fx.merchant(`POST /merchant/orders/{orderId}/${kind}`, {
    path: `/merchant/orders/${orderId}/${kind}`,
    pathParameters: { orderId },
    body,
    headers,
  });
  // The bank's callback for the operation comes after its answer: let it land.
  await callbacksAnswered(fx);
  return answer;
}

/**
 * A merchant order of one mug at `unitPrice`, manual capture, authorized at the bank:
 * `blocked`, its money held until a capture or a void.
 */
export async function heldOrder(
  fx: Fx,
  unitPrice: string,
): Promise<{ orderId: string; bankOrderId: string }> {
  const created = await merchantCreate(fx, {
    currency: "GEL",
    capture: "manual",
    paymentMethods: ["card"],
    items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice }],
  });
  expect(created.status).toBe(201);
  const orderId = created.body.orderId as string;
  const bankOrderId = await bankOrderIdOf(fx, orderId);
  await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
  expect((await fx.handlers().orders.get(orderId))?.status).toBe("blocked");
  return { orderId, bankOrderId };
}
