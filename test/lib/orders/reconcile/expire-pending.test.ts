import { describe, expect, it } from "vitest";
import {
  EXPIRY_GRACE_MS,
  isExpiredWithoutBankOrder,
} from "../../../../lib/orders/reconcile/expire-pending.js";
import { pendingOrder } from "../../../support/stored-orders.js";

/** When the sweep may expire a pending order without a bank order, to the millisecond. */

const EXPIRES = Date.parse("2026-03-01T10:00:00Z");

describe("a pending order without a bank order may be expired", () => {
  it("only once its ttl and the grace have passed, to the millisecond", () => {
    expect(isExpiredWithoutBankOrder(pendingOrder(), EXPIRES + EXPIRY_GRACE_MS)).toBe(false);
    expect(isExpiredWithoutBankOrder(pendingOrder(), EXPIRES + EXPIRY_GRACE_MS + 1)).toBe(true);
  });

  const late = EXPIRES + EXPIRY_GRACE_MS + 60_000;
  it("only while pending and without a bank order", () => {
    expect(isExpiredWithoutBankOrder(pendingOrder({ status: "created" }), late)).toBe(false);
    expect(isExpiredWithoutBankOrder(pendingOrder({ bankOrderId: "bog-1" }), late)).toBe(false);
  });

  it("never a Google Pay order or a subscription card's charge the bank may have charged; one it refused, yes", () => {
    const card = { type: "subscription", cardId: "7c9e6679-7425-40de-944b-e07fc1f90ae7" };
    expect(isExpiredWithoutBankOrder(pendingOrder({ walletType: "google_pay" }), late)).toBe(false);
    expect(
      isExpiredWithoutBankOrder(
        pendingOrder({ walletType: "google_pay", bankError: "timeout" }),
        late,
      ),
    ).toBe(false);
    expect(isExpiredWithoutBankOrder(pendingOrder({ cardCharge: card }), late)).toBe(false);
    expect(
      isExpiredWithoutBankOrder(
        pendingOrder({ walletType: "google_pay", bankError: "rejected: 400 invalid token" }),
        late,
      ),
    ).toBe(true);
    expect(
      isExpiredWithoutBankOrder(pendingOrder({ cardCharge: { ...card, type: "recurrent" } }), late),
    ).toBe(true);
    expect(isExpiredWithoutBankOrder(pendingOrder({ walletType: "apple_pay" }), late)).toBe(true);
  });
});
