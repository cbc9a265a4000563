/**
 * The tables, defined once: CDK (infra/) and the local stack and tests both build
 * them from these definitions, so keys, TTL attributes and indexes cannot drift.
 * Plain data only, so that infra/ can import it without runtime code.
 */

export interface KeyAttribute {
  name: string;
  type: "S" | "N";
}

export interface TableDefinition {
  /** Logical name; the deployed name comes from configuration. */
  id: string;
  partitionKey: KeyAttribute;
  /** The attribute DynamoDB's TTL deletes by (epoch seconds), if any. */
  timeToLiveAttribute?: string;
  globalSecondaryIndexes?: ReadonlyArray<{ indexName: string; partitionKey: KeyAttribute }>;
}

/** Orders, keyed by our order id; found by the bank's order id for callbacks. */
export const ORDERS_TABLE: TableDefinition = {
  id: "orders",
  partitionKey: { name: "pk", type: "S" },
  globalSecondaryIndexes: [
    { indexName: "byBankOrderId", partitionKey: { name: "bankOrderId", type: "S" } },
  ],
};

/** The bank's OAuth token, shared by every container; TTL deletes stale items (lazily). */
export const BANK_TOKEN_TABLE: TableDefinition = {
  id: "bankToken",
  partitionKey: { name: "pk", type: "S" },
  timeToLiveAttribute: "ttl",
};

/** The shop's products and prices: the only source of a price. */
export const CATALOG_TABLE: TableDefinition = {
  id: "catalog",
  partitionKey: { name: "productId", type: "S" },
};

export const TABLES = [ORDERS_TABLE, BANK_TOKEN_TABLE, CATALOG_TABLE] as const;
