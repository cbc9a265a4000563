import * as z from "zod/mini";
import { invalidRequest } from "../../domain-error.js";
import { type Minor, parseAmount } from "../../money.js";
import { amount, canonicalHash, parseBody, text } from "../checkout/request-fields.js";

/**
 * The body of a refund, capture or void (docs/merchant-api.md): `{ amount?, reason? }`,
 * `{ amount?, description? }`, `{ description? }`. No amount means all that is left
 * (refund) or all that is authorized (capture).
 */

export interface OperationRequest {
  kind: "refund" | "capture" | "void";
  amount: Minor | null;
  note: string | null;
  requestHash: string;
}

const SCHEMAS = {
  refund: z.strictObject({
    amount: z.optional(amount("amount")),
    reason: z.optional(text(255, "reason")),
  }),
  capture: z.strictObject({
    amount: z.optional(amount("amount")),
    description: z.optional(text(255, "description")),
  }),
  void: z.strictObject({ description: z.optional(text(255, "description")) }),
};

export function parseOperationRequest(
  kind: OperationRequest["kind"],
  body: unknown,
): OperationRequest {
  type Fields = { amount?: string; reason?: string; description?: string };
  const data = parseBody(SCHEMAS[kind] as z.ZodMiniType<Fields>, body);
  const minor = data.amount === undefined ? null : (parseAmount(data.amount) as Minor);
  if (minor === 0) {
    const message = "amount must be more than 0.00";
    throw invalidRequest(message, [{ path: "amount", message }]);
  }
  const note = data.reason ?? data.description ?? null;
  return { kind, amount: minor, note, requestHash: canonicalHash({ kind, amount: minor, note }) };
}
