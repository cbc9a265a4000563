import { beforeAll, inject } from "vitest";
import type { TablesConfig } from "../../lib/config.js";
import { createFreshTables } from "./fresh-tables.js";

// The counters live apart from vitest, for `npm run bench` too.
export { countingDocumentClient, RequestCounter } from "./request-counter.js";

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
    tables = await createFreshTables(endpointOf());
  });
  return () => tables as TablesConfig & { endpoint: string };
}
