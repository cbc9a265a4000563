import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  ScanCommand,
} from "@aws-sdk/lib-dynamodb";
import { CURRENCIES, type Currency, isOneOf } from "../../bog/vocabulary.js";
import type { Minor } from "../../money.js";
import { CATALOG_DETAIL_FIELDS, type CatalogItem, isDiscountId } from "./catalog-file.js";
import { type LineDetails, readLineDetails } from "./line-details.js";

/**
 * The catalog: the only source of a price. Items: `productId`, `description`,
 * `unitPrice` (integer minor units), `currency`, `image` (URL or absent), `active`
 * (absent means active), and optionally `unitDiscount` (integer minor units taken off
 * each unit, at most `unitPrice`) and `discountId` (a discount promotion registered at
 * the bank, its `product_discount_id`), `vatPercent`, `packageCode`, `tin` and `pinfl`
 * (`line-details.ts`). An item that does not read as a product is skipped, never guessed at.
 */

export interface Product {
  productId: string;
  description: string;
  unitPrice: Minor;
  currency: Currency;
  image: string | null;
  active: boolean;
  /** Minor units off each unit (`unit_discount_price`); absent: none. */
  unitDiscount?: Minor;
  /** The bank's discount promotion for this product (`product_discount_id`); absent: none. */
  discountId?: string;
  /** VAT, package code, TIN, PINFL for the bank's basket line; absent: none given. */
  details?: LineDetails;
}

export function productFromItem(item: Record<string, unknown>): Product | undefined {
  const { productId, description, unitPrice, currency, image, active, unitDiscount, discountId } =
    item;
  if (typeof productId !== "string" || typeof description !== "string") return undefined;
  if (typeof unitPrice !== "number" || !Number.isSafeInteger(unitPrice) || unitPrice < 0)
    return undefined;
  if (!isOneOf(CURRENCIES, currency)) return undefined;
  if (
    unitDiscount !== undefined &&
    unitDiscount !== null &&
    (typeof unitDiscount !== "number" ||
      !Number.isSafeInteger(unitDiscount) ||
      unitDiscount < 0 ||
      unitDiscount > unitPrice)
  )
    return undefined;
  if (discountId !== undefined && discountId !== null && !isDiscountId(discountId))
    return undefined;
  const lineDetails = readLineDetails(item, "", CATALOG_DETAIL_FIELDS);
  if (lineDetails.problems.length > 0) return undefined;
  const hasDetails = Object.keys(lineDetails.details).length > 0;
  return {
    productId,
    description,
    unitPrice,
    currency,
    image: typeof image === "string" && image !== "" ? image : null,
    active: active !== false,
    ...(typeof unitDiscount === "number" ? { unitDiscount } : {}),
    ...(typeof discountId === "string" ? { discountId } : {}),
    ...(hasDetails ? { details: lineDetails.details } : {}),
  };
}

/**
 * Sends a DynamoDB batch until nothing is left: under load DynamoDB processes part of
 * a batch and hands back the rest, which is retried after an exponential backoff, up
 * to `retries` times.
 */
async function untilProcessed<T>(
  first: T[],
  limits: { retries: number; baseMs: number; what: string },
  send: (batch: T[]) => Promise<T[]>,
): Promise<void> {
  let pending = first;
  for (let retry = 0; pending.length > 0; retry++) {
    if (retry > limits.retries) throw new Error(limits.what);
    // Equivalent mutant, not disabled (it shares its line with tested ones): → true and `>` → `>=`: only add a 25 or 50 ms wait before a batch's first request: timing (the waits between retries are tested)
    if (retry > 0) await new Promise((resolve) => setTimeout(resolve, limits.baseMs * 2 ** retry));
    pending = await send(pending);
  }
}

export class CatalogStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every active product, sorted by id. The catalog is small: one paginated scan. */
  async listActive(): Promise<Product[]> {
    const products: Product[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        const product = productFromItem(item);
        if (product?.active) products.push(product);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return products.sort((a, b) =>
      // Equivalent mutant, not disabled (it shares its line with tested ones): `<` → `<=`: product ids are unique, so a < b and a <= b agree
      a.productId < b.productId
        ? -1
        : // Stryker disable next-line EqualityOperator,ConditionalExpression: product ids are unique, and V8's sort reads only whether the answer is negative: each mutant is negative exactly when a < b
          a.productId > b.productId
          ? 1
          : 0,
    );
  }

  /** The products with these ids (at most 100), in one request unless DynamoDB defers some. */
  async getMany(productIds: readonly string[]): Promise<Map<string, Product>> {
    const found = new Map<string, Product>();
    const keys: Record<string, unknown>[] = productIds.map((productId) => ({ productId }));
    await untilProcessed(
      keys,
      { retries: 5, baseMs: 25, what: "the catalog could not be read (unprocessed keys)" },
      async (batch) => {
        const answer = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: batch, ConsistentRead: true } },
          }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const product = productFromItem(item);
          if (product) found.set(product.productId, product);
        }
        return (
          (answer.UnprocessedKeys?.[this.tableName]?.Keys as
            | Record<string, unknown>[]
            | undefined) ?? []
        );
      },
    );
    return found;
  }

  /** Writes products 25 at a time (DynamoDB's batch size), retrying what it defers. Returns how many. */
  async putMany(items: readonly CatalogItem[]): Promise<number> {
    // Equivalent mutant, not disabled (it shares its line with tested ones): `<` → `<=`: one more pass, with an empty batch, when the count is a multiple of 25: untilProcessed sends nothing for an empty list
    for (let start = 0; start < items.length; start += 25) {
      const requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      await untilProcessed(
        requests as Array<Record<string, unknown>>,
        { retries: 8, baseMs: 50, what: "DynamoDB kept deferring writes; try again" },
        async (batch) => {
          const answer = await this.doc.send(
            new BatchWriteCommand({ RequestItems: { [this.tableName]: batch } }),
          );
          return (
            (answer.UnprocessedItems?.[this.tableName] as
              | Array<Record<string, unknown>>
              | undefined) ?? []
          );
        },
      );
    }
    return items.length;
  }
}
