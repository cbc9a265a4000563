/**
 * The tables, defined once: CDK (infra/) and the local stack and tests both build
 * them from these definitions, so keys, TTL attributes and indexes cannot drift.
 * Plain data only, so that infra/ can import it without runtime code.
 */

interface KeyAttribute {
  name: string;
  type: "S" | "N";
}

export interface TableDefinition {
  /** Logical name; the deployed name comes from configuration. */
  id: string;
  partitionKey: KeyAttribute;
  /** The attribute DynamoDB's TTL deletes by (epoch seconds), if any. */
  timeToLiveAttribute?: string;
  /** The table's stream, if any: what each change record carries. */
  stream?: "NEW_AND_OLD_IMAGES";
  globalSecondaryIndexes?: ReadonlyArray<{
    indexName: string;
    partitionKey: KeyAttribute;
    sortKey?: KeyAttribute;
  }>;
}

/**
 * The merchant API lists orders newest first without a scan. A list keyed by a
 * constant would be a hot partition in a flash sale (docs/merchant-api.md), so every
 * order sits in one of LIST_SHARDS shards (from a hash of its order id), and a list
 * reads all shards at once and merges them.
 */
export const LIST_SHARDS = 8;

/** The merchant API's indexes, by what they list. */
export const ORDER_INDEXES = {
  bankOrderId: "byBankOrderId",
  created: "byCreated",
  status: "byStatus",
  reference: "byReference",
  open: "byOpen",
  customer: "byCustomer",
} as const;

const CREATED_KEY: KeyAttribute = { name: "createdKey", type: "S" };

/**
 * Orders, keyed by our order id; found by the bank's order id for callbacks, and
 * listed for the merchant API by creation time (`listShard` = `all#<shard>`), by
 * status (`statusShard` = `<status>#<shard>`) and by the shop's `reference`, each
 * sorted by `createdKey` (`<createdAt>#<orderId>`). The reconciliation sweep finds the
 * orders that are not final through the sparse `byOpen` index (`openShard` =
 * `open#<shard>`, present only while the order is open: lib/orders/storage/open-orders.ts),
 * oldest first. Saved cards are items here too (`card#<cardId>`, lib/cards/card-store.ts),
 * a customer's found through the sparse `byCustomer` index (`cardCustomer`, present
 * only on cards not deleted). Indexes are added at the end only: a deployed table gains them one
 * per stack update, in this order (the setting ordersIndexes).
 * Its stream carries every committed change, old and new item, to the order events
 * (lib/events/order-event.ts).
 */
export const ORDERS_TABLE: TableDefinition = {
  id: "orders",
  partitionKey: { name: "pk", type: "S" },
  stream: "NEW_AND_OLD_IMAGES",
  globalSecondaryIndexes: [
    { indexName: ORDER_INDEXES.bankOrderId, partitionKey: { name: "bankOrderId", type: "S" } },
    {
      indexName: ORDER_INDEXES.created,
      partitionKey: { name: "listShard", type: "S" },
      sortKey: CREATED_KEY,
    },
    {
      indexName: ORDER_INDEXES.status,
      partitionKey: { name: "statusShard", type: "S" },
      sortKey: CREATED_KEY,
    },
    {
      indexName: ORDER_INDEXES.reference,
      partitionKey: { name: "reference", type: "S" },
      sortKey: CREATED_KEY,
    },
    {
      indexName: ORDER_INDEXES.open,
      partitionKey: { name: "openShard", type: "S" },
      sortKey: CREATED_KEY,
    },
    {
      indexName: ORDER_INDEXES.customer,
      partitionKey: { name: "cardCustomer", type: "S" },
      sortKey: CREATED_KEY,
    },
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
