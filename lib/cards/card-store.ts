import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { ORDER_INDEXES } from "../dynamo/tables.js";
import { conditional } from "../orders/storage/order-item.js";
import type { Card } from "./card.js";

/**
 * Saved cards, as items of the orders table (`card#<cardId>`), so that they ride the
 * table's stream (their events, `Card Saved` / `Card Deleted`) and need no rights the
 * functions applying the bank's word do not have already (GetItem, UpdateItem). A customer's cards are one
 * Query of the sparse index `byCustomer` (`cardCustomer`, present only while the card
 * is not deleted), sorted by `createdKey`. A deleted card keeps its item, without
 * `cardCustomer`: a late or repeated word of the bank about its first payment finds it
 * there and cannot save it again.
 */

export const cardKey = (cardId: string) => ({ pk: `card#${cardId}` });

/** The most cards one customer's list shows (a customer has a handful). */
export const MAX_CARDS_LISTED = 100;

const NULLABLE = ["cardMask", "cardType", "expiry", "deletedAt"] as const;

function toItem(card: Card): Record<string, unknown> {
  const fields = Object.entries(card).filter(([, value]) => value !== null);
  return {
    ...cardKey(card.cardId),
    ...Object.fromEntries(fields),
    // Equivalent mutant, not disabled (it shares its line with tested ones): → true: toItem serves only create, called with a live card (deletedAt null); deleting removes cardCustomer in its own write
    ...(card.deletedAt === null ? { cardCustomer: card.customerRef } : {}),
    createdKey: `${card.createdAt}#${card.cardId}`,
  };
}

export function cardFromItem(item: Record<string, unknown>): Card {
  const { pk: _pk, cardCustomer: _customer, createdKey: _created, ...fields } = item;
  const card = { ...fields } as Record<string, unknown>;
  for (const key of NULLABLE) card[key] ??= null;
  return card as unknown as Card;
}

export class CardStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly customerIndex: string = ORDER_INDEXES.customer,
  ) {}

  /**
   * Stores a card once: true when this write made it, false when it was there (or
   * deleted). An UpdateItem that creates the item, not a PutItem: the callback,
   * get-status and the sweep record cards and hold only GetItem/UpdateItem rights.
   */
  async create(card: Card): Promise<boolean> {
    const { pk: _pk, ...fields } = toItem(card);
    const entries = Object.entries(fields);
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: cardKey(card.cardId),
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(", ")}`,
          ConditionExpression: "attribute_not_exists(pk)",
          ExpressionAttributeNames: Object.fromEntries(
            entries.map(([name], i) => [`#f${i}`, name]),
          ),
          ExpressionAttributeValues: Object.fromEntries(
            entries.map(([, value], i) => [`:v${i}`, value]),
          ),
        }),
      ),
    );
    return result.ok;
  }

  async get(cardId: string): Promise<Card | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: cardKey(cardId), ConsistentRead: true }),
    );
    return Item ? cardFromItem(Item) : undefined;
  }

  /** A customer's cards, oldest first (the index is eventually consistent). */
  async listByCustomer(customerRef: string): Promise<Card[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: this.customerIndex,
        KeyConditionExpression: "cardCustomer = :customer",
        ExpressionAttributeValues: { ":customer": customerRef },
        Limit: MAX_CARDS_LISTED,
      }),
    );
    return (Items ?? []).map(cardFromItem);
  }

  /** Marks a card deleted (it leaves the customer's list); false when it already was. */
  async markDeleted(cardId: string, at: string): Promise<boolean> {
    const result = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: cardKey(cardId),
          UpdateExpression: "SET deletedAt = :at REMOVE cardCustomer",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(deletedAt)",
          ExpressionAttributeValues: { ":at": at },
        }),
      ),
    );
    return result.ok;
  }
}
