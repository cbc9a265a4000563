import { createHash } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type { IssuedToken } from "./token-endpoint.js";

/**
 * The bank token shared by all containers: one DynamoDB item with a TTL attribute.
 * DynamoDB deletes expired items lazily (up to days later), so readers check the
 * expiry themselves. The same item carries a short lease, so that when the token
 * must be refreshed, one container fetches it and the others wait for it.
 */

export interface TokenRecord {
  token: IssuedToken | undefined;
  /** Epoch ms until which some container is fetching a new token. */
  leaseUntil: number | undefined;
}

/** Keeps the item a while past expiry, for inspection; readers never trust it past `expiresAt`. */
const TTL_SLACK_SECONDS = 3600;

/**
 * The item's key: one token per bank environment and credentials source. Hashed,
 * so that neither the URL nor the client id is spelled out in the table.
 */
export function tokenItemKey(tokenUrl: string, credentialsSource: string): string {
  const digest = createHash("sha256").update(`${tokenUrl}\n${credentialsSource}`).digest("hex");
  return `bog-token#${digest.slice(0, 32)}`;
}

/** True when a conditional write went through, false when its condition did not hold. */
async function unlessConditionFails(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export class DynamoTokenStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly key: string,
  ) {}

  async read(): Promise<TokenRecord> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: this.key }, ConsistentRead: true }),
    );
    const accessToken = Item?.accessToken;
    const expiresAt = Item?.expiresAt;
    const leaseUntil = Item?.leaseUntil;
    return {
      token:
        // Stryker disable next-line LogicalOperator: a half-written item (a lease, no token) reads as a token whose expiresAt is undefined: every freshness test is false for NaN, so no token either way
        // Equivalent mutant, not disabled (it shares its line with tested ones): the test (or either typeof) → true, for the same reason (→ false is tested)
        typeof accessToken === "string" && typeof expiresAt === "number"
          ? { accessToken, expiresAt }
          : undefined,
      // Equivalent mutant, not disabled (it shares its line with tested ones): → true: only this store writes the item, and it writes leaseUntil as a number or not at all
      leaseUntil: typeof leaseUntil === "number" ? leaseUntil : undefined,
    };
  }

  /**
   * Takes the refresh lease unless another container holds an unexpired one, or the
   * token changed since the caller read it (`seen`: the token it read, or none): a
   * container that read "no token" just before another stored one must not refresh again.
   */
  tryLease(owner: string, until: number, now: number, seen: string | undefined): Promise<boolean> {
    return unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: this.key },
          UpdateExpression:
            "SET leaseUntil = :until, leaseOwner = :owner, #ttl = if_not_exists(#ttl, :ttl)",
          ConditionExpression: `(attribute_not_exists(leaseUntil) OR leaseUntil <= :now) AND ${
            seen === undefined ? "attribute_not_exists(accessToken)" : "accessToken = :seen"
          }`,
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: {
            ":until": until,
            ":owner": owner,
            ":now": now,
            ":ttl": Math.floor(until / 1000) + TTL_SLACK_SECONDS,
            // Equivalent mutant, not disabled (it shares its line with tested ones): → false: the document client drops undefined values (removeUndefinedValues): an unseen token adds no :seen either way
            ...(seen === undefined ? {} : { ":seen": seen }),
          },
        }),
      ),
    );
  }

  /** Stores a fresh token, which also ends any lease. */
  async save(token: IssuedToken): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: this.key,
          accessToken: token.accessToken,
          expiresAt: token.expiresAt,
          ttl: Math.floor(token.expiresAt / 1000) + TTL_SLACK_SECONDS,
        },
      }),
    );
  }

  /** Gives up a lease this container holds, so others need not wait it out. */
  async releaseLease(owner: string): Promise<void> {
    await unlessConditionFails(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: this.key },
          UpdateExpression: "REMOVE leaseUntil, leaseOwner",
          ConditionExpression: "leaseOwner = :owner",
          ExpressionAttributeValues: { ":owner": owner },
        }),
      ),
    );
  }

  /** Deletes the token, but only if it is still the one the bank refused. */
  async remove(accessToken: string): Promise<void> {
    await unlessConditionFails(
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: this.key },
          ConditionExpression: "accessToken = :token",
          ExpressionAttributeValues: { ":token": accessToken },
        }),
      ),
    );
  }
}
