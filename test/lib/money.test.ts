import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  amountFromNumber,
  amountToNumber,
  formatAmount,
  MAX_AMOUNT,
  multiplyAmount,
  multiplyWithinMax,
  parseAmount,
  sumAmounts,
  sumWithinMax,
} from "../../lib/money.js";

const minor = fc.integer({ min: 0, max: 10 ** 12 });
/** Every amount this service may send: 0 to MAX_AMOUNT, the bound itself included. */
const sendable = fc.oneof(
  fc.integer({ min: 0, max: MAX_AMOUNT }),
  fc.integer({ min: MAX_AMOUNT - 1000, max: MAX_AMOUNT }),
);

describe("money", () => {
  it.each([
    ["0", 0],
    ["0.0", 0],
    ["0.01", 1],
    ["12.5", 1250],
    ["12.50", 1250],
    ["100.500", 10050],
    ["7", 700],
  ])("parses %s as %i minor units", (text, expected) => {
    expect(parseAmount(text)).toBe(expected);
  });

  it.each([
    "",
    " 1",
    "1 ",
    "-1",
    "+1",
    "1.005",
    "1e3",
    "01",
    ".5",
    "5.",
    "1,5",
    "NaN",
    "Infinity",
    "9".repeat(20),
  ])("refuses %j", (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it("reads JSON numbers exactly and refuses float noise", () => {
    expect(amountFromNumber(12.5)).toBe(1250);
    expect(amountFromNumber(0.01)).toBe(1);
    expect(amountFromNumber(0.1 + 0.2)).toBeUndefined();
    expect(amountFromNumber(-1)).toBeUndefined();
    expect(amountFromNumber(1e21)).toBeUndefined();
    expect(amountFromNumber(Number.NaN)).toBeUndefined();
  });

  it("keeps trailing zeros past two places only when they are zeros", () => {
    expect(parseAmount("1.5000")).toBe(150);
    expect(parseAmount("1.5001")).toBeUndefined();
  });

  it("refuses every input that is not an amount, saying which and why", () => {
    const notMinor = (value: number) => `not an amount in minor units: ${value}`;
    expect(() => sumAmounts([1, -1])).toThrow(notMinor(-1));
    expect(() => sumAmounts([0.5, 0.5])).toThrow(notMinor(0.5));
    expect(() => multiplyAmount(0.5, 2)).toThrow(notMinor(0.5));
    expect(() => multiplyAmount(2 ** 52, 4)).toThrow(notMinor(2 ** 54));
    expect(() => multiplyWithinMax(0.5, 2)).toThrow(notMinor(0.5));
    expect(() => multiplyWithinMax(-1, 2)).toThrow(notMinor(-1));
    for (const quantity of [-1, 1.5, Number.NaN]) {
      const message = `quantity must be a non-negative integer, got ${quantity}`;
      expect(() => multiplyAmount(100, quantity)).toThrow(message);
      expect(() => multiplyWithinMax(100, quantity)).toThrow(message);
    }
    expect(multiplyAmount(100, 0)).toBe(0);
    expect(multiplyWithinMax(100, 0)).toBe(0);
    expect(() => amountToNumber(MAX_AMOUNT + 1)).toThrow(
      "amount 1000000000.00 is above the largest amount, 999999999.99",
    );
  });

  it("formats with exactly two places", () => {
    expect(formatAmount(0)).toBe("0.00");
    expect(formatAmount(5)).toBe("0.05");
    expect(formatAmount(2500)).toBe("25.00");
    expect(() => formatAmount(1.5)).toThrow(RangeError);
    expect(() => formatAmount(-1)).toThrow(RangeError);
  });

  it("round-trips text for every amount, and JSON numbers for every amount up to the bound", () => {
    fc.assert(
      fc.property(minor, (m) => {
        expect(parseAmount(formatAmount(m))).toBe(m);
      }),
    );
    fc.assert(
      fc.property(sendable, (m) => {
        expect(amountFromNumber(amountToNumber(m))).toBe(m);
        expect(JSON.stringify(amountToNumber(m))).toBe(formatAmount(m).replace(/\.?0+$/, ""));
      }),
    );
  });

  it("bounds amounts at 999999999.99, which JSON carries exactly", () => {
    expect(MAX_AMOUNT).toBe(99_999_999_999);
    expect(formatAmount(MAX_AMOUNT)).toBe("999999999.99");
    expect(JSON.stringify({ amount: amountToNumber(MAX_AMOUNT) })).toBe('{"amount":999999999.99}');
  });

  it("refuses to turn an amount above the bound into a JSON number, rather than round it", () => {
    // 90071992547409.91 is a safe integer in minor units, but as a double it is 90071992547409.9.
    expect(() => amountToNumber(9_007_199_254_740_991)).toThrow(RangeError);
    expect(() => amountToNumber(MAX_AMOUNT + 1)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: MAX_AMOUNT + 1, max: Number.MAX_SAFE_INTEGER }), (m) => {
        expect(() => amountToNumber(m)).toThrow(RangeError);
      }),
    );
  });

  it("multiplies and sums within the bound exactly, and says when a result is above it", () => {
    expect(multiplyWithinMax(1250, 3)).toBe(3750);
    expect(multiplyWithinMax(MAX_AMOUNT, 1)).toBe(MAX_AMOUNT);
    expect(multiplyWithinMax(MAX_AMOUNT, 2)).toBeUndefined();
    expect(multiplyWithinMax(33_333_333_333, 3)).toBe(MAX_AMOUNT);
    expect(multiplyWithinMax(33_333_333_334, 3)).toBeUndefined();
    // Far past 2^53: still a clean "too large", never a rounded product or a throw.
    expect(multiplyWithinMax(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBeUndefined();
    expect(multiplyWithinMax(0, Number.MAX_SAFE_INTEGER)).toBe(0);
    expect(() => multiplyWithinMax(1250, 1.5)).toThrow(RangeError);
    expect(() => multiplyWithinMax(1.5, 2)).toThrow(RangeError);

    expect(sumWithinMax([])).toBe(0);
    expect(sumWithinMax([MAX_AMOUNT - 1, 1])).toBe(MAX_AMOUNT);
    expect(sumWithinMax([MAX_AMOUNT, 1])).toBeUndefined();
    expect(sumWithinMax([Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER])).toBeUndefined();
    expect(() => sumWithinMax([1, -1])).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_AMOUNT }),
        fc.integer({ min: 0, max: 10_000 }),
        (unit, quantity) => {
          const exact = BigInt(unit) * BigInt(quantity);
          const product = multiplyWithinMax(unit, quantity);
          if (exact > BigInt(MAX_AMOUNT)) expect(product).toBeUndefined();
          else expect(BigInt(product as number)).toBe(exact);
        },
      ),
    );
  });

  it("sums and multiplies without rounding", () => {
    fc.assert(
      fc.property(fc.array(minor, { maxLength: 50 }), (amounts) => {
        const total = sumAmounts(amounts);
        expect(total).toBe(amounts.reduce((a, b) => a + b, 0));
        expect(parseAmount(formatAmount(total))).toBe(total);
      }),
    );
    expect(multiplyAmount(1250, 3)).toBe(3750);
    expect(() => multiplyAmount(1250, 1.5)).toThrow(RangeError);
    expect(() => sumAmounts([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
