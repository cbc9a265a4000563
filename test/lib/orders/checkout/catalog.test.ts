import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
} from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { createDocumentClient } from "../../../../lib/dynamo/client.js";
import { CatalogStore, productFromItem } from "../../../../lib/orders/checkout/catalog.js";
import type { CatalogItem } from "../../../../lib/orders/checkout/catalog-file.js";
import { useDynamoTables } from "../../../support/dynamo-fixture.js";

/**
 * The catalog as DynamoDB holds it (CatalogStore, against DynamoDB Local): what a
 * stored product must be to be sold, a catalog longer than one scan page, products
 * sorted by id, consistent reads, batches of 25, and the batches DynamoDB defers
 * (UnprocessedKeys / UnprocessedItems: DynamoDB Local never defers, so a client that
 * passes every request on and defers part of the answer stands in for a loaded table).
 */

const tables = useDynamoTables();
const doc = () => createDocumentClient(tables().endpoint);

const PRODUCT = {
  productId: "sku-cup",
  description: "Cup",
  unitPrice: 1250,
  currency: "GEL",
};

describe("a stored product", () => {
  it("is sold as stored, with its defaults", () => {
    expect(productFromItem(PRODUCT)).toEqual({ ...PRODUCT, image: null, active: true });
    expect(
      productFromItem({
        ...PRODUCT,
        image: "https://x.example/c.png",
        active: false,
        unitDiscount: 1250,
        discountId: "d-1",
      }),
    ).toEqual({
      ...PRODUCT,
      image: "https://x.example/c.png",
      active: false,
      unitDiscount: 1250,
      discountId: "d-1",
    });
    expect(productFromItem({ ...PRODUCT, image: "", unitDiscount: 0 })).toEqual({
      ...PRODUCT,
      image: null,
      active: true,
      unitDiscount: 0,
    });
    expect(productFromItem({ ...PRODUCT, unitDiscount: null, discountId: null })).toEqual({
      ...PRODUCT,
      image: null,
      active: true,
    });
  });

  it.each([
    ["a negative price", { unitPrice: -1 }],
    ["a fractional price", { unitPrice: 12.5 }],
    ["a negative discount", { unitDiscount: -1 }],
    ["a discount above the price", { unitDiscount: 1251 }],
    ["a fractional discount", { unitDiscount: 0.5 }],
    ["a discount as text", { unitDiscount: "1" }],
    ["an empty discount id", { discountId: "" }],
    ["a blank discount id", { discountId: "   " }],
    ["a discount id of 65 characters", { discountId: "d".repeat(65) }],
    ["an unknown currency", { currency: "XXX" }],
  ])("with %s is not sold (as if absent)", (_name, fields) => {
    expect(productFromItem({ ...PRODUCT, ...fields })).toBeUndefined();
  });

  it("a discount id of 64 characters is one", () => {
    expect(productFromItem({ ...PRODUCT, discountId: "d".repeat(64) })?.discountId).toHaveLength(
      64,
    );
  });
});

describe("the active products", () => {
  it("every page of a catalog longer than one scan page (1 MB), sorted by id, the inactive left out", async () => {
    const client = doc();
    const ids = ["m", "c", "x", "a", "q", "f", "b", "z", "k", "e"];
    // About 350 KB each: a scan page (1 MB) holds a few, in DynamoDB's own order.
    const long = "d".repeat(350_000);
    for (const productId of ids)
      await client.send(
        new PutCommand({
          TableName: tables().catalog,
          Item: { ...PRODUCT, productId, description: long, active: productId !== "f" },
        }),
      );
    const listed = await new CatalogStore(client, tables().catalog).listActive();
    expect(listed.map((p) => p.productId)).toEqual(["a", "b", "c", "e", "k", "m", "q", "x", "z"]);
  });
});

/** A client that passes requests to DynamoDB Local and hands back all but `keep` of each batch as deferred. */
function deferring(real: DynamoDBDocumentClient, keepPerAnswer: number, deferredAnswers: number) {
  const sent: Array<{ at: number; size: number; input: Record<string, unknown> }> = [];
  let deferred = 0;
  const client = {
    send: async (command: BatchGetCommand | BatchWriteCommand) => {
      const input = command.input as { RequestItems: Record<string, unknown> };
      const [table, request] = Object.entries(input.RequestItems)[0] as [string, unknown];
      const list =
        command instanceof BatchGetCommand
          ? (request as { Keys: unknown[] }).Keys
          : (request as unknown[]);
      sent.push({ at: Date.now(), size: list.length, input });
      const defer = deferred < deferredAnswers ? list.slice(keepPerAnswer) : [];
      if (defer.length > 0) deferred += 1;
      const kept = list.slice(0, list.length - defer.length);
      // Nothing processed at all: DynamoDB answers with the whole batch deferred.
      if (kept.length === 0)
        return command instanceof BatchGetCommand
          ? { Responses: { [table]: [] }, UnprocessedKeys: { [table]: { Keys: defer } } }
          : { UnprocessedItems: { [table]: defer } };
      if (command instanceof BatchGetCommand) {
        const answer = await real.send(
          new BatchGetCommand({
            RequestItems: { [table]: { ...(request as object), Keys: kept } as never },
          }),
        );
        return defer.length > 0
          ? { ...answer, UnprocessedKeys: { [table]: { Keys: defer } } }
          : answer;
      }
      const answer = await real.send(
        new BatchWriteCommand({ RequestItems: { [table]: kept as never } }),
      );
      return defer.length > 0 ? { ...answer, UnprocessedItems: { [table]: defer } } : answer;
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, sent };
}

const catalogItem = (productId: string): CatalogItem => ({
  productId,
  description: `Product ${productId}`,
  unitPrice: 100,
  currency: "GEL",
  active: true,
});

describe("writing the catalog", () => {
  it("25 products a batch, every one written", async () => {
    const items = Array.from({ length: 60 }, (_, i) => catalogItem(`w-${i}`));
    const { client, sent } = deferring(doc(), 25, 0);
    expect(await new CatalogStore(client, tables().catalog).putMany(items)).toBe(60);
    expect(sent.map((s) => s.size)).toEqual([25, 25, 10]);
    const stored = await new CatalogStore(doc(), tables().catalog).getMany(
      items.map((i) => i.productId).slice(0, 100),
    );
    expect(stored.size).toBe(60);
  });

  it("what DynamoDB defers is sent again, after a growing wait", async () => {
    const items = Array.from({ length: 5 }, (_, i) => catalogItem(`d-${i}`));
    const { client, sent } = deferring(doc(), 2, 2);
    await new CatalogStore(client, tables().catalog).putMany(items);
    expect(sent.map((s) => s.size)).toEqual([5, 3, 1]);
    const stored = await new CatalogStore(doc(), tables().catalog).getMany(
      items.map((i) => i.productId),
    );
    expect(stored.size).toBe(5);
    // Waits of at least 50 ms * 2^(retry - 1): a lower bound only, never a duration asserted.
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(100 - 1);
    expect((sent[2]?.at ?? 0) - (sent[1]?.at ?? 0)).toBeGreaterThanOrEqual(200 - 1);
  });
});

describe("reading products by id", () => {
  it("reads consistently, and what DynamoDB defers is asked again until all are read", async () => {
    const items = Array.from({ length: 4 }, (_, i) => catalogItem(`r-${i}`));
    await new CatalogStore(doc(), tables().catalog).putMany(items);
    const { client, sent } = deferring(doc(), 1, 3);
    const found = await new CatalogStore(client, tables().catalog).getMany(
      items.map((i) => i.productId),
    );
    expect([...found.keys()].sort()).toEqual(items.map((i) => i.productId));
    expect(sent.map((s) => s.size)).toEqual([4, 3, 2, 1]);
    for (const { input } of sent)
      expect(input.RequestItems).toEqual({
        [tables().catalog]: expect.objectContaining({ ConsistentRead: true }),
      });
  });

  it("DynamoDB deferring for good: gives up after 5 retries", async () => {
    const { client, sent } = deferring(doc(), 0, 1000);
    await expect(new CatalogStore(client, tables().catalog).getMany(["r-0"])).rejects.toThrow(
      "the catalog could not be read (unprocessed keys)",
    );
    expect(sent).toHaveLength(6);
  });
});
