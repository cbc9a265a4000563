import { createHash } from "node:crypto";
import * as z from "zod/mini";
import { PAYMENT_METHODS, type PaymentMethod } from "../../bog/vocabulary.js";
import { invalidRequest } from "../../domain-error.js";
import { MAX_AMOUNT, parseAmount } from "../../money.js";
import type { OrderOptions } from "./order-options.js";

/**
 * The fields both create-order requests share (the shop's checkout and the merchant
 * API), validated by the bank's rules, and the one way a schema's problems become a
 * `invalid_request` with a path for each, and a request becomes its idempotency hash.
 */

export const MAX_QUANTITY = 1000;

export const text = (max: number, name: string) =>
  z.string().check(
    z.minLength(1, `${name} must not be empty`),
    z.maxLength(max, `${name} must be at most ${max} characters`),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    z.regex(/^[^\u0000-\u001f\u007f]*$/, `${name} must not contain control characters`),
  );

export const quantity = z
  .int("quantity must be an integer >= 1")
  .check(
    z.gte(1, "quantity must be an integer >= 1"),
    z.lte(MAX_QUANTITY, `quantity must be at most ${MAX_QUANTITY}`),
  );

/** A decimal string with at most two places ("12.50"), within MAX_AMOUNT; never a JSON number. */
export const amount = (name: string) =>
  z.string(`${name} must be a decimal string like "12.50"`).check(
    z.refine((value) => {
      const minor = parseAmount(value);
      return minor !== undefined && minor <= MAX_AMOUNT;
    }, `${name} must be a decimal string like "12.50", at most 999999999.99`),
  );

/** The buyer as the bank takes it: a name and masked contacts, nothing else. */
export const buyerFields = {
  fullName: z.optional(text(100, "fullName")),
  maskedEmail: z.optional(text(100, "maskedEmail")),
  maskedPhone: z.optional(text(30, "maskedPhone")),
};

export const presentationFields = {
  locale: z.optional(z.enum(["ka", "en"], "locale must be ka or en")),
  theme: z.optional(z.enum(["light", "dark"], "theme must be light or dark")),
  paymentMethods: z.optional(
    z
      .array(z.enum(PAYMENT_METHODS, `payment method must be one of ${PAYMENT_METHODS.join(", ")}`))
      .check(z.minLength(1, "paymentMethods must not be empty when given")),
  ),
  capture: z.optional(z.enum(["automatic", "manual"], "capture must be automatic or manual")),
  buyer: z.optional(z.object(buyerFields)),
  ttlMinutes: z.optional(
    z
      .int("ttlMinutes must be a whole number of minutes")
      .check(
        z.gte(2, "ttlMinutes must be from 2 to 1440"),
        z.lte(1440, "ttlMinutes must be from 2 to 1440"),
      ),
  ),
};

/** How the bank presents an order, as both create requests give it after defaults. */
export interface Presentation {
  locale: "ka" | "en";
  theme: "light" | "dark";
  paymentMethods: PaymentMethod[] | undefined;
  capture: "automatic" | "manual";
  buyer: { fullName?: string; maskedEmail?: string; maskedPhone?: string } | undefined;
  ttlMinutes: number;
  /** Installments, campaign, POS account (`order-options.ts`). */
  options: OrderOptions;
}

/** The presentation fields with their defaults; `capture` is the caller's to decide. */
export function presentationOf(
  data: {
    locale?: "ka" | "en";
    theme?: "light" | "dark";
    paymentMethods?: PaymentMethod[];
    buyer?: Presentation["buyer"];
    ttlMinutes?: number;
  },
  capture: Presentation["capture"],
  defaultTtlMinutes: number,
  options: OrderOptions,
): Presentation {
  return {
    options,
    locale: data.locale ?? "ka",
    theme: data.theme ?? "light",
    paymentMethods: data.paymentMethods ? [...new Set(data.paymentMethods)] : undefined,
    capture,
    buyer: data.buyer,
    ttlMinutes: data.ttlMinutes ?? defaultTtlMinutes,
  };
}

/** Parses a JSON object with a schema; every problem is a detail with its path, in one refusal. */
export function parseBody<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidRequest("the body must be a JSON object");
  }
  const parsed = z.safeParse(schema, body);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message:
      issue.code === "unrecognized_keys"
        ? `unknown field: ${issue.keys.join(", ")}`
        : issue.code === "invalid_type" && issue.path.length > 0 && /^Invalid/.test(issue.message)
          ? `${String(issue.path[issue.path.length - 1])} has the wrong type`
          : issue.message,
  }));
  throw invalidRequest(details[0]?.message ?? "invalid request", details);
}

/** SHA-256 of a value with its keys sorted: the same request, however it is written, hashes alike. */
export function canonicalHash(value: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((key) => [key, canonical((v as Record<string, unknown>)[key])]),
      );
    }
    return v;
  };
  return createHash("sha256")
    .update(JSON.stringify(canonical(value)))
    .digest("hex");
}
