import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";

/**
 * The merchant's id as the bank reports it (`client.id` in payment details). A
 * signed callback naming another merchant is not ours, whatever order it names.
 *
 * Configured (`BOG_MERCHANT_ID`), or learned from what the bank says about orders
 * whose bank order id came from our own create-order (a lookup with our credentials,
 * or a signed message whose bank order id is the one on file). Learned ids are kept
 * in the bank-token table so that every container knows it after one read.
 */

const ITEM_KEY = { pk: "merchant-id" };
/** How long a container trusts "not learned yet" before reading the table again. */
const UNKNOWN_RECHECK_MS = 60_000;

export interface MerchantIdStore {
  read(): Promise<string | undefined>;
  write(id: string): Promise<void>;
}

export function dynamoMerchantIdStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
): MerchantIdStore {
  return {
    async read() {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: ITEM_KEY }));
      return typeof Item?.merchantId === "string" ? Item.merchantId : undefined;
    },
    async write(id) {
      await doc.send(
        new PutCommand({ TableName: tableName, Item: { ...ITEM_KEY, merchantId: id } }),
      );
    },
  };
}

export class MerchantIdentity {
  private learned: string | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly configured: string | undefined,
    private readonly store: MerchantIdStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The merchant's id, or null while it is neither configured nor learned. */
  async get(): Promise<string | null> {
    if (this.configured !== undefined) return this.configured;
    if (this.learned !== undefined) return this.learned;
    if (this.now() - this.checkedAt >= UNKNOWN_RECHECK_MS) {
      this.checkedAt = this.now();
      this.learned = await this.store.read();
    }
    return this.learned ?? null;
  }

  /**
   * Remembers the id the bank reported for one of our own orders. Only call it with
   * details about a bank order id that came from our own create-order.
   */
  async learn(id: string | null): Promise<void> {
    if (id === null || this.configured !== undefined || this.learned === id) return;
    this.learned = id;
    await this.store.write(id);
  }
}
