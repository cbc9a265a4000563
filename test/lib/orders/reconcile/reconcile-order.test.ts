import { describe, expect, it } from "vitest";
import {
  type ReconcileOrderDeps,
  reconcileOrder,
} from "../../../../lib/orders/reconcile/reconcile-order.js";
import { quietLogger } from "../../../support/functions.js";
import { pendingOrder } from "../../../support/stored-orders.js";

/** When an order the bank confirmed is too fresh for the sweep to ask about, to the millisecond. */

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
        leases: {
          claimLookup: async () => {
            claims += 1;
            return false;
          },
        },
      },
    } as unknown as ReconcileOrderDeps;
    return { deps, claims: () => claims };
  };
  const created = (lastBankCheckAt: number) =>
    pendingOrder({ status: "created", statusRank: 1, bankOrderId: "bog-1", lastBankCheckAt });

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
