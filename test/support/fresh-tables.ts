import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { TablesConfig } from "../../lib/config.js";
import { ensureTable } from "../../lib/dynamo/create-tables.js";
import { BANK_TOKEN_TABLE, CATALOG_TABLE, ORDERS_TABLE } from "../../lib/dynamo/tables.js";

/** Fresh tables (unique names) in a DynamoDB Local, made from the shared definitions, like the stack makes them. */
export async function createFreshTables(
  endpoint: string,
): Promise<TablesConfig & { endpoint: string }> {
  const suffix = randomUUID().slice(0, 8);
  const client = new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tables = {
    endpoint,
    orders: `orders-${suffix}`,
    bankToken: `bank-token-${suffix}`,
    catalog: `catalog-${suffix}`,
  };
  await ensureTable(client, ORDERS_TABLE, tables.orders);
  await ensureTable(client, BANK_TOKEN_TABLE, tables.bankToken);
  await ensureTable(client, CATALOG_TABLE, tables.catalog);
  client.destroy();
  return tables;
}
