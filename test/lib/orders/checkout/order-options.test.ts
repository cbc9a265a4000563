import { describe, expect, it } from "vitest";
import { campaignOption, loanOption } from "../../../../lib/orders/checkout/order-options.js";

/** The create-order options' refusals, in words a shop's developer can act on. */

describe("create-order options refused in words", () => {
  it("installments without exactly one loan method", () => {
    expect(() => loanOption({ code: "standard", months: 12 }, ["card", "bog_loan"])).toThrow(
      expect.objectContaining({
        code: "invalid_request",
        message: 'loan goes with exactly one payment method, "bog_loan" or "bnpl"',
        details: [
          { path: "paymentMethods", message: 'must be ["bog_loan"] or ["bnpl"] with loan' },
        ],
      }),
    );
    expect(loanOption({ code: "standard", months: 12 }, ["bnpl"])).toEqual({
      type: "standard",
      month: 12,
    });
  });

  it("a card campaign where no card can pay", () => {
    expect(() => campaignOption({ card: "visa", type: "restrict" }, ["bog_p2p"])).toThrow(
      expect.objectContaining({
        code: "invalid_request",
        message: "a card campaign needs card among paymentMethods",
        details: [{ path: "campaign", message: 'paymentMethods must include "card"' }],
      }),
    );
  });
});
