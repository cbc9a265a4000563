import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { beforeAll, inject } from "vitest";
import type { TablesConfig } from "../../lib/config.js";
import { createDocumentClient } from "../../lib/dynamo/client.js";
import { ensureTable } from "../../lib/dynamo/create-tables.js";
import { BANK_TOKEN_TABLE, CATALOG_TABLE, ORDERS_TABLE } from "../../lib/dynamo/tables.js";

/** Counts the DynamoDB requests a document client sends, by command name. */
export class RequestCounter {
  readonly calls: string[] = [];
  get total(): number {
    return this.calls.length;
  }
  reset(): void {
    this.calls.length = 0;
  }
}

export function countingDocumentClient(
  endpoint: string,
  counter: RequestCounter,
): DynamoDBDocumentClient {
  const doc = createDocumentClient(endpoint);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      counter.calls.push(String(context.commandName));
      return next(args);
    },
    { step: "initialize", name: "requestCounter" },
  );
  return doc;
}

/**
 * Fresh tables (unique names) in the run's DynamoDB Local for one test file, made
 * from the shared definitions, like the stack makes them.
 */
export function useDynamoTables(
  /** Another DynamoDB Local than the run's (a test that stalls its own). */
  endpointOf: () => string = () => inject("dynamodbEndpoint"),
): () => TablesConfig & { endpoint: string } {
  let tables: (TablesConfig & { endpoint: string }) | undefined;
  beforeAll(async () => {
    const endpoint = endpointOf();
    const suffix = randomUUID().slice(0, 8);
    const client = new DynamoDBClient({
      endpoint,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    tables = {
      endpoint,
      orders: `orders-${suffix}`,
      bankToken: `bank-token-${suffix}`,
      catalog: `catalog-${suffix}`,
    };
    await ensureTable(client, ORDERS_TABLE, tables.orders);
    await ensureTable(client, BANK_TOKEN_TABLE, tables.bankToken);
    await ensureTable(client, CATALOG_TABLE, tables.catalog);
    client.destroy();
  });
  return () => tables as TablesConfig & { endpoint: string };
}
