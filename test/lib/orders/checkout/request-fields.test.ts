import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { amount } from "../../../../lib/orders/checkout/request-fields.js";

/**
 * An amount field of a request: what it accepts and how it refuses, in words meant for a
 * shop's developer.
 */

describe("an amount field", () => {
  const price = amount("unitPrice");
  it.each(["0.01", "12.50", "999999999.99"])("takes %s", (value) => {
    expect(z.safeParse(price, value).success).toBe(true);
  });
  it.each(["1000000000.00", "12.505", "-1", "12,50"])(
    "refuses %s, saying how to write it",
    (value) => {
      const parsed = z.safeParse(price, value);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe(
        'unitPrice must be a decimal string like "12.50", at most 999999999.99',
      );
    },
  );
});
