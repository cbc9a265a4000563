import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createOrder, post, stats, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();

/** Bad input gets the bank's kind of error, never a crash. */
describe("sandbox under arbitrary input", () => {
  it("create order never answers 5xx, whatever the JSON", async () => {
    const accessToken = await token(sandbox());
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const answer = await createOrder(sandbox(), accessToken, JSON.stringify(value));
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 200) expect(typeof answer.body.message).toBe("string");
      }),
      { numRuns: 150 },
    );
  });

  it("create order never answers 5xx when any field of a valid order is replaced", async () => {
    const accessToken = await token(sandbox());
    const base = validOrder(receiver().url);
    const paths = [
      ["callback_url"],
      ["ttl"],
      ["capture"],
      ["payment_method"],
      ["buyer"],
      ["redirect_urls"],
      ["purchase_units"],
      ["purchase_units", "total_amount"],
      ["purchase_units", "currency"],
      ["purchase_units", "basket"],
      ["purchase_units", "delivery"],
      ["purchase_units", "basket", 0],
      ["purchase_units", "basket", 0, "quantity"],
      ["purchase_units", "basket", 0, "unit_price"],
      ["purchase_units", "basket", 0, "unit_discount_price"],
      ["purchase_units", "basket", 0, "product_id"],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue(), async (path, value) => {
        const body = structuredClone(base) as Record<string | number, unknown>;
        let target = body;
        for (const step of path.slice(0, -1))
          target = target[step] as Record<string | number, unknown>;
        target[path[path.length - 1] as string | number] = value;
        const answer = await createOrder(sandbox(), accessToken, body);
        expect(answer.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it("control endpoints never answer 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/_sandbox/faults", "/_sandbox/config", "/_sandbox/clock"),
        fc.jsonValue(),
        async (path, value) => {
          const answer = await post(sandbox(), path, JSON.stringify(value));
          expect(answer.status).toBeLessThan(500);
          await post(sandbox(), "/_sandbox/reset", {});
        },
      ),
      { numRuns: 150 },
    );
    expect((await stats(sandbox())).createOrder).toBe(0);
  });
});
