import { createHash } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoTokenStore, tokenItemKey } from "../../../lib/bog/token-store.js";
import {
  countingDocumentClient,
  RequestCounter,
  useDynamoTables,
} from "../../support/dynamo-fixture.js";

/** The shared token item in DynamoDB: its key, its reads and its lease. */

const tables = useDynamoTables();
const URL = "https://oauth2.bog.ge/auth/realms/bog/protocol/openid-connect/token";

function store(key = `bog-token#test-${Math.random()}`, tableName = tables().bankToken) {
  const counter = new RequestCounter();
  const doc = countingDocumentClient(tables().endpoint, counter);
  return { store: new DynamoTokenStore(doc, tableName, key), counter, doc, key };
}

describe("the shared token item", () => {
  it("is keyed by a hash of the token URL and the credentials' source, never by them", () => {
    const key = tokenItemKey(URL, "secret:bog/credentials");
    const sha = createHash("sha256").update(`${URL}\nsecret:bog/credentials`).digest("hex");
    expect(key).toBe(`bog-token#${sha.slice(0, 32)}`);
    expect(key).not.toContain("bog.ge");
    expect(tokenItemKey(URL, "secret:bog/other")).not.toBe(key);
    expect(tokenItemKey(`${URL}/`, "secret:bog/credentials")).not.toBe(key);
  });

  it("is read strongly consistent: a token just invalidated elsewhere is never read back", async () => {
    const { store: s, counter } = store();
    const reads: Array<Record<string, unknown>> = [];
    counter.intercept = (command, input) => {
      if (command === "GetCommand" || command === "GetItemCommand") reads.push(input);
    };
    await s.read();
    expect(reads).toEqual([expect.objectContaining({ ConsistentRead: true })]);
  });

  it("a lease keeps the item for an hour past its end (TTL), unless it has a TTL already", async () => {
    const { store: s, doc, key } = store();
    const until = Date.UTC(2026, 10, 28, 12, 0, 0, 500);
    expect(await s.tryLease("me", until, until - 5000, undefined)).toBe(true);
    const { Item } = await doc.send(
      new GetCommand({ TableName: tables().bankToken, Key: { pk: key }, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({
      leaseOwner: "me",
      leaseUntil: until,
      ttl: Math.floor(until / 1000) + 3600,
    });
  });

  it("a lease is refused once the token changed since it was read: no second refresh", async () => {
    const { store: s } = store();
    const now = Date.now();
    // Read "no token"; meanwhile another container refreshed and stored one.
    await s.save({ accessToken: "fresh-token", expiresAt: now + 3_600_000 });
    expect(await s.tryLease("late", now + 5000, now, undefined)).toBe(false);
    // Read a stale token that is still the one stored: the lease is taken.
    expect(await s.tryLease("stale-reader", now + 5000, now, "fresh-token")).toBe(true);
    await s.save({ accessToken: "newer-token", expiresAt: now + 3_600_000 });
    expect(await s.tryLease("late-again", now + 5000, now, "fresh-token")).toBe(false);
  });

  it("a lease another holds is refused; storage that fails is an error, not a refusal", async () => {
    const { store: s } = store();
    const now = Date.now();
    expect(await s.tryLease("a", now + 5000, now, undefined)).toBe(true);
    expect(await s.tryLease("b", now + 5000, now, undefined)).toBe(false);
    const missing = store(undefined, "no-such-table").store;
    await expect(missing.tryLease("c", now + 5000, now, undefined)).rejects.toThrow(
      /resource|table/i,
    );
  });
});
