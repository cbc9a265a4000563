import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createDocumentClient } from "../../lib/dynamo/client.js";
import { CatalogStore } from "../../lib/orders/checkout/catalog.js";
import { useDynamoTables } from "../support/dynamo-fixture.js";
import { REPO_ROOT } from "../support/paths.js";

const tables = useDynamoTables();
const cup = {
  productId: "sku-cup",
  description: "Espresso cup",
  unitPrice: "12.50",
  currency: "GEL",
};

function importFile(content: unknown, args: string[] = ["--local"]) {
  const dir = mkdtempSync(join(tmpdir(), "catalog-"));
  const file = join(dir, "catalog.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return spawnSync(process.execPath, ["--import", "tsx", "cli/catalog-import.ts", file, ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DYNAMODB_ENDPOINT: tables().endpoint,
      CATALOG_TABLE: tables().catalog,
    },
    encoding: "utf8",
  });
}

describe("npm run catalog:import -- FILE --local", () => {
  it("writes the products where the functions read them", async () => {
    const products = Array.from({ length: 30 }, (_, i) => ({
      ...cup,
      productId: `sku-${String(i).padStart(2, "0")}`,
    }));
    const result = importFile(products);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain("catalog:import:");
    expect(result.stdout.trim()).toBe(
      `Imported 30 product(s) into ${tables().catalog} at ${tables().endpoint}.`,
    );
    const doc = createDocumentClient(tables().endpoint);
    const listed = await new CatalogStore(doc, tables().catalog).listActive();
    doc.destroy();
    expect(listed).toHaveLength(30);
    expect(listed[0]).toEqual({
      productId: "sku-00",
      description: "Espresso cup",
      unitPrice: 1250,
      currency: "GEL",
      image: null,
      active: true,
    });
  });

  it("refuses an invalid file, says why, and writes nothing", async () => {
    const result = importFile([{ ...cup, productId: "sku-new", unitPrice: 12.5 }]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("is not a valid catalog; nothing was written");
    expect(result.stderr).toContain("products[0].unitPrice");
    const doc = createDocumentClient(tables().endpoint);
    const ids = (await new CatalogStore(doc, tables().catalog).listActive()).map(
      (p) => p.productId,
    );
    doc.destroy();
    expect(ids).not.toContain("sku-new");
  });

  it("writes a product's discount where the functions read it", async () => {
    const result = importFile([
      { ...cup, productId: "sku-sale", unitDiscount: "2.50", discountId: "BF222R5" },
    ]);
    expect(result.status).toBe(0);
    const doc = createDocumentClient(tables().endpoint);
    const found = await new CatalogStore(doc, tables().catalog).getMany(["sku-sale"]);
    doc.destroy();
    expect(found.get("sku-sale")).toEqual({
      productId: "sku-sale",
      description: "Espresso cup",
      unitPrice: 1250,
      unitDiscount: 250,
      discountId: "BF222R5",
      currency: "GEL",
      image: null,
      active: true,
    });
  });

  it("refuses a discount above its price, names the product, and writes nothing", async () => {
    const result = importFile([
      { ...cup, productId: "sku-fine2" },
      { ...cup, productId: "sku-over", unitDiscount: "13.00" },
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("is not a valid catalog; nothing was written");
    expect(result.stderr).toContain(
      'products[1].unitDiscount of "sku-over" is 13.00, above its unitPrice, 12.50',
    );
    const doc = createDocumentClient(tables().endpoint);
    const found = await new CatalogStore(doc, tables().catalog).getMany(["sku-fine2", "sku-over"]);
    doc.destroy();
    expect(found.size).toBe(0);
  });

  it("refuses a price above the largest amount, names the product, and writes nothing", async () => {
    const result = importFile([
      { ...cup, productId: "sku-fine" },
      { ...cup, productId: "sku-gold", unitPrice: "90071992547409.91" },
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("is not a valid catalog; nothing was written");
    expect(result.stderr).toContain(
      'products[1].unitPrice of "sku-gold" is 90071992547409.91, above the largest price, 999999999.99',
    );
    const doc = createDocumentClient(tables().endpoint);
    const ids = (await new CatalogStore(doc, tables().catalog).listActive()).map(
      (p) => p.productId,
    );
    doc.destroy();
    expect(ids).not.toContain("sku-gold");
    expect(ids).not.toContain("sku-fine");
  });

  it("needs a file", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "cli/catalog-import.ts", "--local"],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("usage: npm run catalog:import -- FILE.json");
  });
});
