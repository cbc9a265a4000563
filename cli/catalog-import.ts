import { readFileSync } from "node:fs";
import { createDocumentClient } from "../lib/dynamo/client.js";
import { CatalogStore } from "../lib/orders/checkout/catalog.js";
import { parseCatalogFile } from "../lib/orders/checkout/catalog-file.js";
import { parseTarget, stackOutput } from "./stack-outputs.js";

/**
 * `npm run catalog:import -- FILE.json [--stack NAME | --local]`: validates the file,
 * then writes its products to the deployed catalog table (from the stack's outputs),
 * or with --local to the local stack's (DYNAMODB_ENDPOINT, default
 * http://127.0.0.1:8000; CATALOG_TABLE, default "catalog"). Products missing from the
 * file are left as they are: set `"active": false` to take one off sale.
 */
async function main(): Promise<void> {
  const { stack, local, file } = parseTarget(process.argv.slice(2), { file: true, local: true });
  if (!file) throw new Error("usage: npm run catalog:import -- FILE.json [--stack NAME | --local]");
  const { items, problems } = parseCatalogFile(readFileSync(file, "utf8"));
  if (problems.length > 0)
    throw new Error(
      `${file} is not a valid catalog; nothing was written:\n  ${problems.join("\n  ")}`,
    );
  const endpoint = local ? (process.env.DYNAMODB_ENDPOINT ?? "http://127.0.0.1:8000") : undefined;
  const table = local
    ? (process.env.CATALOG_TABLE ?? "catalog")
    : await stackOutput(stack, "CatalogTableName");
  const doc = createDocumentClient(endpoint);
  const count = await new CatalogStore(doc, table).putMany(items);
  doc.destroy();
  console.log(`Imported ${count} product(s) into ${table}${local ? ` at ${endpoint}` : ""}.`);
}

main().catch((error: unknown) => {
  console.error(`catalog:import: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
