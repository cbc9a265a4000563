import { createHash } from "node:crypto";
import * as z from "zod/mini";
import { PAYMENT_METHODS, type PaymentMethod } from "../bog/vocabulary.js";
import { invalidRequest } from "../http/api-error.js";

/**
 * POST /orders, validated at the edge. Only `items` is required. Unknown fields,
 * price-like ones included, are dropped and never used: prices come from the
 * catalog. The same product twice is merged (quantities added, the sum within the
 * limit). The request hash, over the normalised request, tells a retry from a
 * different request under the same Idempotency-Key.
 */

export const MAX_QUANTITY = 1000;

const text = (max: number, name: string) =>
  z.string().check(
    z.minLength(1, `${name} must not be empty`),
    z.maxLength(max, `${name} must be at most ${max} characters`),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    z.regex(/^[^\u0000-\u001f\u007f]*$/, `${name} must not contain control characters`),
  );

const quantity = z
  .int("quantity must be an integer >= 1")
  .check(
    z.gte(1, "quantity must be an integer >= 1"),
    z.lte(MAX_QUANTITY, `quantity must be at most ${MAX_QUANTITY}`),
  );

function schema(maxItems: number) {
  return z.object({
    items: z
      .array(z.object({ productId: text(128, "productId"), quantity }), "items must be an array")
      .check(
        z.minLength(1, "items must not be empty"),
        z.maxLength(maxItems, `at most ${maxItems} items per order`),
      ),
    locale: z.optional(z.enum(["ka", "en"], "locale must be ka or en")),
    theme: z.optional(z.enum(["light", "dark"], "theme must be light or dark")),
    paymentMethods: z.optional(
      z
        .array(
          z.enum(PAYMENT_METHODS, `payment method must be one of ${PAYMENT_METHODS.join(", ")}`),
        )
        .check(z.minLength(1, "paymentMethods must not be empty when given")),
    ),
    capture: z.optional(z.enum(["automatic", "manual"], "capture must be automatic or manual")),
    buyer: z.optional(
      z.object({
        fullName: z.optional(text(100, "fullName")),
        maskedEmail: z.optional(text(100, "maskedEmail")),
        maskedPhone: z.optional(text(30, "maskedPhone")),
      }),
    ),
    ttlMinutes: z.optional(
      z
        .int("ttlMinutes must be a whole number of minutes")
        .check(
          z.gte(2, "ttlMinutes must be from 2 to 1440"),
          z.lte(1440, "ttlMinutes must be from 2 to 1440"),
        ),
    ),
  });
}

export interface OrderRequest {
  items: Array<{ productId: string; quantity: number }>;
  locale: "ka" | "en";
  theme: "light" | "dark";
  paymentMethods: PaymentMethod[] | undefined;
  capture: "automatic" | "manual";
  buyer: { fullName?: string; maskedEmail?: string; maskedPhone?: string } | undefined;
  ttlMinutes: number;
}

export function parseOrderRequest(
  body: unknown,
  limits: { maxItems: number; defaultTtlMinutes: number; captureMode: "automatic" | "manual" },
): OrderRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidRequest("the body must be a JSON object");
  }
  const parsed = z.safeParse(schema(limits.maxItems), body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.join("."),
      message:
        issue.code === "invalid_type" && issue.path.length > 0 && /^Invalid/.test(issue.message)
          ? `${String(issue.path[issue.path.length - 1])} has the wrong type`
          : issue.message,
    }));
    throw invalidRequest(details[0]?.message ?? "invalid request", details);
  }
  const data = parsed.data;
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
  return {
    items,
    locale: data.locale ?? "ka",
    theme: data.theme ?? "light",
    paymentMethods: data.paymentMethods ? [...new Set(data.paymentMethods)] : undefined,
    capture: limits.captureMode,
    buyer: data.buyer,
    ttlMinutes: data.ttlMinutes ?? limits.defaultTtlMinutes,
  };
}

/** SHA-256 of the normalised request, keys sorted, items in product order. */
export function requestHash(request: OrderRequest): string {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
      );
    }
    return value;
  };
  const normalised = {
    ...request,
    items: [...request.items].sort((a, b) => (a.productId < b.productId ? -1 : 1)),
    paymentMethods: request.paymentMethods ? [...request.paymentMethods].sort() : undefined,
  };
  return createHash("sha256")
    .update(JSON.stringify(canonical(normalised)))
    .digest("hex");
}
