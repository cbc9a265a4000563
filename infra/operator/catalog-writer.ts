import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CatalogItem } from "./catalog-file.js";

/** Writes products 25 at a time (DynamoDB's batch size), retrying what it defers. Returns how many. */
export async function writeCatalog(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: CatalogItem[],
): Promise<number> {
  for (let start = 0; start < items.length; start += 25) {
    let requests: Array<Record<string, unknown>> = items
      .slice(start, start + 25)
      .map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round > 8) throw new Error("DynamoDB kept deferring writes; try again");
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const answer = await doc.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests =
        (answer.UnprocessedItems?.[tableName] as Array<Record<string, unknown>> | undefined) ?? [];
    }
  }
  return items.length;
}
