import { describe, expect, it } from "vitest";
import type { Order } from "../../lib/orders/model/order.js";
import {
  EXPIRY_GRACE_MS,
  isExpiredWithoutBankOrder,
} from "../../lib/orders/reconcile/expire-pending.js";
import {
  type ReconcileOrderDeps,
  reconcileOrder,
} from "../../lib/orders/reconcile/reconcile-order.js";
import { orderFromItem } from "../../lib/orders/storage/order-item.js";
import { quietLogger } from "../support/functions.js";

/**
 * The sweep's decisions about one order made before any write or bank call, at their
 * boundaries to the millisecond: when a pending order without a bank order may be
 * expired, and when a confirmed order is too fresh to ask the bank about.
 */

const EXPIRES = Date.parse("2026-03-01T10:00:00Z");

const pending = (fields: Record<string, unknown> = {}): Order =>
  orderFromItem({
    orderId: "6f1c1b9e-0000-4000-8000-000000000001",
    status: "pending",
    statusRank: 0,
    currency: "GEL",
    amount: 2500,
    delivery: 0,
    lines: [],
    capture: "automatic",
    requestHash: "h",
    createdAt: "2026-03-01T09:30:00Z",
    updatedAt: "2026-03-01T09:30:00Z",
    expiresAt: "2026-03-01T10:00:00Z",
    ...fields,
  });

describe("a pending order without a bank order may be expired", () => {
  it("only once its ttl and the grace have passed, to the millisecond", () => {
    expect(isExpiredWithoutBankOrder(pending(), EXPIRES + EXPIRY_GRACE_MS)).toBe(false);
    expect(isExpiredWithoutBankOrder(pending(), EXPIRES + EXPIRY_GRACE_MS + 1)).toBe(true);
  });

  const late = EXPIRES + EXPIRY_GRACE_MS + 60_000;
  it("only while pending and without a bank order", () => {
    expect(isExpiredWithoutBankOrder(pending({ status: "created" }), late)).toBe(false);
    expect(isExpiredWithoutBankOrder(pending({ bankOrderId: "bog-1" }), late)).toBe(false);
  });

  it("never a Google Pay order or a subscription card's charge the bank may have charged; one it refused, yes", () => {
    const card = { type: "subscription", cardId: "7c9e6679-7425-40de-944b-e07fc1f90ae7" };
    expect(isExpiredWithoutBankOrder(pending({ walletType: "google_pay" }), late)).toBe(false);
    expect(
      isExpiredWithoutBankOrder(pending({ walletType: "google_pay", bankError: "timeout" }), late),
    ).toBe(false);
    expect(isExpiredWithoutBankOrder(pending({ cardCharge: card }), late)).toBe(false);
    expect(
      isExpiredWithoutBankOrder(
        pending({ walletType: "google_pay", bankError: "rejected: 400 invalid token" }),
        late,
      ),
    ).toBe(true);
    expect(
      isExpiredWithoutBankOrder(pending({ cardCharge: { ...card, type: "recurrent" } }), late),
    ).toBe(true);
    expect(isExpiredWithoutBankOrder(pending({ walletType: "apple_pay" }), late)).toBe(true);
  });
});

describe("an order the bank confirmed within the stale interval is not asked about", () => {
  const NOW = Date.parse("2026-03-01T12:00:00Z");
  const STALE_MS = 120_000;
  /** Counts the lease claims (the step before any lookup); refuses them, so nothing else runs. */
  const depsCountingClaims = () => {
    let claims = 0;
    const deps = {
      now: () => NOW,
      staleMs: STALE_MS,
      blockedCheckMs: STALE_MS,
      log: quietLogger(),
      orders: {
        claimLookup: async () => {
          claims += 1;
          return false;
        },
      },
    } as unknown as ReconcileOrderDeps;
    return { deps, claims: () => claims };
  };
  const created = (lastBankCheckAt: number) =>
    pending({ status: "created", statusRank: 1, bankOrderId: "bog-1", lastBankCheckAt });

  it("confirmed exactly the stale interval ago: still fresh", async () => {
    const { deps, claims } = depsCountingClaims();
    const result = await reconcileOrder(created(NOW - STALE_MS), "open", NOW + 60_000, deps);
    expect(result).toEqual({ outcome: "skipped", open: true });
    expect(claims()).toBe(0);
  });

  it("a millisecond longer: asked about (here another request holds the lease)", async () => {
    const { deps, claims } = depsCountingClaims();
    const result = await reconcileOrder(created(NOW - STALE_MS - 1), "open", NOW + 60_000, deps);
    expect(result).toEqual({ outcome: "skipped", open: true });
    expect(claims()).toBe(1);
  });
});
