import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createOrder, post, stats, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();

const CARD_LIKE = ["card", "google_pay", "apple_pay"] as const;
const OTHERS = ["bog_p2p", "bog_loyalty", "bnpl", "bog_loan", "gift_card"] as const;

/** An amount in minor units, sent as the JSON number the document asks for. */
const money = (max: number) => fc.integer({ min: 0, max }).map((minor) => ({ minor }));
const text = fc.string({ maxLength: 40 });

/** A basket line with any of the document's optional fields, its total consistent. */
const line = fc
  .record(
    {
      product_id: fc.string({ minLength: 1, maxLength: 20 }).filter((t) => t.trim() !== ""),
      quantity: fc.integer({ min: 1, max: 50 }),
      price: money(100_000),
      discountShare: fc.integer({ min: 0, max: 100 }),
      description: text,
      vat_percent: fc.integer({ min: 0, max: 100 }),
      image: fc.webUrl(),
      package_code: text,
      tin: text,
      pinfl: text,
      product_discount_id: text,
      withTotal: fc.boolean(),
    },
    { requiredKeys: ["product_id", "quantity", "price", "discountShare", "withTotal"] },
  )
  .map(({ price, discountShare, withTotal, ...rest }) => {
    const discount = Math.floor((price.minor * discountShare) / 100);
    const lineMinor = (price.minor - discount) * rest.quantity;
    return {
      lineMinor,
      item: {
        ...rest,
        unit_price: price.minor / 100,
        ...(discount > 0 ? { unit_discount_price: discount / 100 } : {}),
        ...(withTotal ? { total_price: lineMinor / 100 } : {}),
      },
    };
  });

/** Methods and capture as the document allows them together, and config.loan where necessary. */
const methodsAndCapture = fc.oneof(
  fc.record({
    payment_method: fc.subarray([...CARD_LIKE, ...OTHERS]),
    capture: fc.constant("automatic"),
  }),
  fc.record({
    payment_method: fc.subarray([...CARD_LIKE], { minLength: 1 }),
    capture: fc.constant("manual"),
  }),
);

function validBody() {
  return fc
    .record({
      lines: fc.array(line, { minLength: 1, maxLength: 8 }),
      delivery: money(5_000),
      currency: fc.constantFrom("GEL", "USD", "EUR", "GBP"),
      ttl: fc.integer({ min: 2, max: 1440 }),
      methods: methodsAndCapture,
      loan: fc.record({ type: text, month: fc.integer({ min: 1, max: 60 }) }, { requiredKeys: [] }),
      campaign: fc.record(
        {
          card: fc.constantFrom("visa", "mc", "solo"),
          type: fc.constantFrom("restrict", "client_discount"),
        },
        { requiredKeys: [] },
      ),
    })
    .filter(
      ({ lines, delivery }) => lines.reduce((sum, l) => sum + l.lineMinor, delivery.minor) > 0,
    )
    .map(({ lines, delivery, currency, ttl, methods, loan, campaign }) => {
      const loanOnly =
        methods.payment_method.length === 1 &&
        (methods.payment_method[0] === "bog_loan" || methods.payment_method[0] === "bnpl");
      return {
        ttl,
        ...methods,
        config: { campaign, ...(loanOnly ? { loan } : {}) },
        purchase_units: {
          currency,
          total_amount: lines.reduce((sum, l) => sum + l.lineMinor, delivery.minor) / 100,
          delivery: { amount: delivery.minor / 100 },
          basket: lines.map((l) => l.item),
        },
      };
    });
}

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
      { numRuns: 1000 },
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
      ["purchase_units", "basket", 0, "vat_percent"],
      ["purchase_units", "basket", 0, "total_price"],
      ["purchase_units", "total_discount_amount"],
      ["config"],
      ["application_type"],
      ["external_order_id"],
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
        if (answer.status !== 200) expect(typeof answer.body.message).toBe("string");
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts every body the document allows, with its amounts as the basket adds them", async () => {
    const accessToken = await token(sandbox());
    await fc.assert(
      fc.asyncProperty(validBody(), async (body) => {
        const answer = await createOrder(sandbox(), accessToken, {
          callback_url: receiver().url,
          ...body,
        });
        expect(answer.body.message).toBeUndefined();
        expect(answer.status).toBe(200);
      }),
      { numRuns: 1000 },
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
