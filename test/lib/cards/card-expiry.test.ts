import { describe, expect, it } from "vitest";
import { isCardExpired } from "../../../lib/cards/card-expiry.js";

/**
 * A saved card's expiry as the bank writes it (MM/YY), valid through the last day of
 * that month, UTC.
 */

describe("a card's expiry (MM/YY, through the last day of that month, UTC)", () => {
  const endOf = (year: number, month: number) => Date.UTC(year, month, 1); // first moment after
  it("expires at the first moment of the next month, not a millisecond before", () => {
    expect(isCardExpired("02/27", endOf(2027, 2) - 1)).toBe(false);
    expect(isCardExpired("02/27", endOf(2027, 2))).toBe(true);
  });

  it("December is a month like any other (its next month is January)", () => {
    expect(isCardExpired("12/26", Date.UTC(2026, 11, 31, 23, 59, 59))).toBe(false);
    expect(isCardExpired("12/26", Date.UTC(2027, 0, 1))).toBe(true);
  });

  it("spaces around it are the bank's, not part of the expiry", () => {
    expect(isCardExpired(" 01/20 ", Date.UTC(2026, 0, 1))).toBe(true);
  });

  it.each([
    ["no expiry", null],
    ["an empty one", ""],
    ["month 00", "00/20"],
    ["month 13", "13/20"],
    ["something before it", "x01/20"],
    ["something after it", "01/20x"],
    ["a four-digit year", "01/2020"],
    ["no slash", "0120"],
  ])(
    "one that cannot be read (%s) is not called expired: the bank has the last word",
    (_name, expiry) => {
      expect(isCardExpired(expiry, Date.UTC(2040, 0, 1))).toBe(false);
    },
  );
});
