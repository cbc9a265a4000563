import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  amountFromNumber,
  amountToNumber,
  formatAmount,
  multiplyAmount,
  parseAmount,
  sumAmounts,
} from "../../lib/money.js";

const minor = fc.integer({ min: 0, max: 10 ** 12 });

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

  it("formats with exactly two places", () => {
    expect(formatAmount(0)).toBe("0.00");
    expect(formatAmount(5)).toBe("0.05");
    expect(formatAmount(2500)).toBe("25.00");
    expect(() => formatAmount(1.5)).toThrow(RangeError);
    expect(() => formatAmount(-1)).toThrow(RangeError);
  });

  it("round-trips text and JSON numbers for every amount", () => {
    fc.assert(
      fc.property(minor, (m) => {
        expect(parseAmount(formatAmount(m))).toBe(m);
        expect(amountFromNumber(amountToNumber(m))).toBe(m);
      }),
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
