import { describe, expect, it } from "vitest";
import {
  basisPoints,
  lineVat,
  readLineDetails,
} from "../../../../lib/orders/checkout/line-details.js";

describe("a basket line's documented details", () => {
  it.each([["0"], ["18"], ["18.5"], ["18.55"], ["100"], ["100.00"], ["7.0"]])(
    "vatPercent %s is accepted",
    (vatPercent) => {
      expect(readLineDetails({ vatPercent }, "").problems).toEqual([]);
    },
  );

  it.each([["101"], ["-1"], ["18.555"], ["018"], ["1e1"], [""], [" 18"], [18]])(
    "vatPercent %j is refused with its path",
    (vatPercent) => {
      const { problems, details } = readLineDetails({ vatPercent }, "items.0.");
      expect(problems).toEqual([{ path: "items.0.vatPercent", message: expect.any(String) }]);
      expect(details).toEqual({});
    },
  );

  it.each([
    ["image", "http://shop.example/a.png", "image must be an https URL of at most 2048 characters"],
    [
      "image",
      `https://shop.example/${"a".repeat(2048)}`,
      "image must be an https URL of at most 2048 characters",
    ],
    ["packageCode", "p".repeat(65), "packageCode must be 1 to 64 printable characters"],
    ["tin", "12\n34", "tin must be 1 to 64 printable characters"],
    ["pinfl", " ", "pinfl must be 1 to 64 printable characters"],
  ])("%s %j is refused: %s", (field, value, message) => {
    expect(readLineDetails({ [field]: value }, "").problems).toEqual([{ path: field, message }]);
  });

  it("keeps what is given, leaves out what is not", () => {
    expect(
      readLineDetails(
        { vatPercent: "18", image: "https://shop.example/a.png", tin: "123", other: 1 },
        "",
      ).details,
    ).toEqual({ vatPercent: "18", image: "https://shop.example/a.png", tin: "123" });
  });

  it("hundredths of a percent", () => {
    expect(basisPoints("18")).toBe(1800);
    expect(basisPoints("18.5")).toBe(1850);
    expect(basisPoints("0.05")).toBe(5);
    expect(basisPoints("100")).toBe(10_000);
  });

  it.each([
    [11_800, "18", 1_800],
    [1_000, "18", 153], // 152.54… → 153
    [100, "18", 15], // 15.25… → 15
    [1_180, "0", 0],
    [2_000, "100", 1_000],
    [59, "18", 9], // 9.0 exactly
    [1, "18", 0], // 0.15 → 0
    [3, "18", 0], // 0.457… → 0
    [4, "18", 1], // 0.61 → 1
    [99_999_999_999, "18", 15_254_237_288], // 15254237288.0…
  ])("the VAT inside %i tetri at %s%% is %i (half up)", (total, percent, vat) => {
    expect(lineVat(total, percent)).toBe(vat);
  });

  it("a VAT of exactly half a tetri rounds up", () => {
    // 118 × 1 / 236 … : total 59, 100%: 59 × 100/200 = 29.5 → 30
    expect(lineVat(59, "100")).toBe(30);
  });
});
