import * as z from "zod/mini";
import { invalidRequest } from "../domain-error.js";
import { text } from "../orders/checkout/request-fields.js";

/**
 * The shop's own customer id: 1 to 128 printable characters, no control characters
 * and no `/` (it is a path segment of `GET /merchant/customers/{customerRef}/cards`).
 */

export const MAX_CUSTOMER_REF = 128;

export const customerRefField = text(MAX_CUSTOMER_REF, "customerRef").check(
  z.refine((value) => !value.includes("/"), "customerRef must not contain /"),
);

/** A customerRef from the path (already URL-decoded), or `invalid_request`. */
export function customerRefParam(value: string | undefined): string {
  const parsed = customerRefField.safeParse(value ?? "");
  if (!parsed.success) {
    // Stryker disable next-line StringLiteral: a failed zod parse always carries an issue with a message: the fallback is for noUncheckedIndexedAccess
    throw invalidRequest(parsed.error.issues[0]?.message ?? "customerRef is not valid", [
      {
        path: "path.customerRef",
        // Stryker disable next-line StringLiteral: a failed zod parse always carries an issue with a message: the fallback is for noUncheckedIndexedAccess
        message: parsed.error.issues[0]?.message ?? "not valid",
      },
    ]);
  }
  return parsed.data;
}
