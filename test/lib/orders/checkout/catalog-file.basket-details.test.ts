import { describe, expect, it } from "vitest";
import { productFromItem } from "../../../../lib/orders/checkout/catalog.js";
import { parseCatalogFile } from "../../../../lib/orders/checkout/catalog-file.js";

/** The catalog file's basket fields for the bank (docs/create-order-options.md): checked at import, kept, read back. */

const product = (extra: Record<string, unknown>) =>
  JSON.stringify([
    { productId: "kettle", description: "Kettle", unitPrice: "59.00", currency: "GEL", ...extra },
  ]);

describe("a catalog file's vatPercent, packageCode, tin and pinfl", () => {
  it("are kept as given", () => {
    const details = { vatPercent: "18", packageCode: "A000123", tin: "204566978", pinfl: "0100" };
    const { items, problems } = parseCatalogFile(product(details));
    expect(problems).toEqual([]);
    expect(items[0]).toMatchObject(details);
  });

  it.each([
    [{ vatPercent: "101" }, "products[0].vatPercent"],
    [{ vatPercent: "18.555" }, "products[0].vatPercent"],
    [{ vatPercent: -1 }, "products[0].vatPercent"],
    [{ packageCode: "" }, "products[0].packageCode"],
    [{ tin: "t".repeat(65) }, "products[0].tin"],
    [{ pinfl: "1\t2" }, "products[0].pinfl"],
  ])("%j: refused with its path and the product, nothing imported", (extra, path) => {
    const { items, problems } = parseCatalogFile(product(extra));
    expect(items).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${path.replace(/[[\].]/g, "\\$&")} of "kettle": `));
  });

  it("are read back from the stored item as the product's line details", () => {
    const stored = {
      productId: "kettle",
      description: "Kettle",
      unitPrice: 5900,
      currency: "GEL",
      vatPercent: "18",
      tin: "204566978",
    };
    expect(productFromItem(stored)?.details).toEqual({ vatPercent: "18", tin: "204566978" });
    expect(productFromItem({ ...stored, vatPercent: "180" })).toBeUndefined();
    expect(productFromItem({ ...stored, vatPercent: undefined, tin: undefined })?.details).toBe(
      undefined,
    );
  });
});
