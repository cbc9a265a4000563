import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { BankUnauthorizedError, BankUnavailableError } from "../../../lib/errors.js";
import { post, stats } from "../../support/bank-calls.js";
import { container, forgetSharedToken, soon, tokenKey } from "../../support/bank-container.js";
import { useDynamoTables } from "../../support/dynamo-fixture.js";
import { useSandbox } from "../../support/sandbox-fixture.js";

const { sandbox } = useSandbox();
const tables = useDynamoTables();

beforeEach(async () => {
  await forgetSharedToken(sandbox(), tables());
});

async function sharedItem() {
  const c = container(sandbox(), tables());
  const { Item } = await c.doc.send(
    new GetCommand({
      TableName: tables().bankToken,
      Key: { pk: tokenKey(sandbox()) },
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe("bank token cache", () => {
  it("fetches once, then serves from memory with no request at all", async () => {
    const c = container(sandbox(), tables());
    const first = await c.tokens.get(soon());
    expect(c.dynamo.calls).toEqual(["GetItemCommand", "UpdateItemCommand", "PutItemCommand"]);
    expect(c.secretReads.count).toBe(1);
    c.dynamo.reset();
    for (let i = 0; i < 5; i++) expect(await c.tokens.get(soon())).toBe(first);
    expect(c.dynamo.total).toBe(0);
    expect(c.secretReads.count).toBe(1);
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("a cold container reuses the shared token with one DynamoDB read and no secret read", async () => {
    const warm = container(sandbox(), tables());
    const token = await warm.tokens.get(soon());
    const cold = container(sandbox(), tables());
    expect(await cold.tokens.get(soon())).toBe(token);
    expect(cold.dynamo.calls).toEqual(["GetItemCommand"]);
    expect(cold.secretReads.count).toBe(0);
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("50 cold containers at once make at most one token request", async () => {
    // A lease longer than the default 5 s: on a loaded 2-core machine, 50 containers
    // polling DynamoDB Local can keep the holder's fetch past 5 s, and an expired lease
    // rightly lets a second container refresh. The rule here is the lease itself.
    const containers = Array.from({ length: 50 }, () =>
      container(sandbox(), tables(), { leaseMs: 30_000 }),
    );
    const tokens = await Promise.all(containers.map((c) => c.tokens.get(soon(30_000))));
    expect(new Set(tokens).size).toBe(1);
    expect((await stats(sandbox())).token).toBe(1);
    expect(containers.reduce((sum, c) => sum + c.secretReads.count, 0)).toBe(1);
  });

  it("concurrent requests in one container share one load", async () => {
    const c = container(sandbox(), tables());
    const tokens = await Promise.all(Array.from({ length: 20 }, () => c.tokens.get(soon())));
    expect(new Set(tokens).size).toBe(1);
    expect(c.dynamo.calls).toEqual(["GetItemCommand", "UpdateItemCommand", "PutItemCommand"]);
  });

  it("stores the expiry from the JWT and a TTL attribute", async () => {
    await post(sandbox(), "/_sandbox/config", {
      tokenLifetimeSeconds: 600,
      expiresInFormat: "epoch-ms",
    });
    const before = Date.now();
    await container(sandbox(), tables()).tokens.get(soon());
    const item = await sharedItem();
    expect(item?.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
    expect(item?.expiresAt).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(item?.ttl).toBe(Math.floor((item?.expiresAt as number) / 1000) + 3600);
    expect(item?.leaseUntil).toBeUndefined();
  });

  it("refreshes a margin before expiry, not after", async () => {
    await post(sandbox(), "/_sandbox/config", { tokenLifetimeSeconds: 120 });
    let now = Date.now();
    const c = container(sandbox(), tables(), { now: () => now });
    const first = await c.tokens.get(soon());
    now += 59_000; // 61 s left: more than the 60 s margin
    expect(await c.tokens.get(soon())).toBe(first);
    now += 2000; // 59 s left: refresh although the token is still valid
    const second = await c.tokens.get(soon());
    expect(second).not.toBe(first);
    expect((await stats(sandbox())).token).toBe(2);
  });

  it("never trusts an expired item that DynamoDB has not deleted yet", async () => {
    const c = container(sandbox(), tables());
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: {
          pk: tokenKey(sandbox()),
          accessToken: "stale.token.value",
          expiresAt: Date.now() - 1000,
          ttl: 1,
        },
      }),
    );
    const token = await c.tokens.get(soon());
    expect(token).not.toBe("stale.token.value");
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("waits for another container's refresh instead of fetching too", async () => {
    const c = container(sandbox(), tables());
    const leaseUntil = Date.now() + 400;
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: { pk: tokenKey(sandbox()), leaseUntil, leaseOwner: "other" },
      }),
    );
    const waiting = c.tokens.get(soon());
    // The other container delivers its token before its lease ends.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const other = container(sandbox(), tables());
    await other.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: {
          pk: tokenKey(sandbox()),
          accessToken: "token.from.other",
          expiresAt: Date.now() + 300_000,
          ttl: 1,
        },
      }),
    );
    expect(await waiting).toBe("token.from.other");
    expect((await stats(sandbox())).token).toBe(0);
  });

  it("while another container refreshes, a token with time left serves meanwhile", async () => {
    const c = container(sandbox(), tables());
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: {
          pk: tokenKey(sandbox()),
          accessToken: "still.valid.token",
          expiresAt: Date.now() + 30_000, // inside the refresh margin, far from expiry
          leaseUntil: Date.now() + 10_000,
          leaseOwner: "other",
          ttl: 1,
        },
      }),
    );
    expect(await c.tokens.get(soon())).toBe("still.valid.token");
    expect((await stats(sandbox())).token).toBe(0);
  });

  it("never hands out a token with under 5 s left, even while another container refreshes", async () => {
    const c = container(sandbox(), tables());
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: {
          pk: tokenKey(sandbox()),
          accessToken: "almost.expired.token",
          expiresAt: Date.now() + 4000,
          leaseUntil: Date.now() + 300,
          leaseOwner: "crashed",
          ttl: 1,
        },
      }),
    );
    // It waits out the lease, then fetches a token of its own.
    const token = await c.tokens.get(soon());
    expect(token).not.toBe("almost.expired.token");
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("takes over when a lease holder dies without delivering", async () => {
    const c = container(sandbox(), tables());
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: { pk: tokenKey(sandbox()), leaseUntil: Date.now() + 300, leaseOwner: "crashed" },
      }),
    );
    const token = await c.tokens.get(soon());
    expect(token.split(".")).toHaveLength(3);
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("invalidate drops the token here and in DynamoDB, but not a newer one", async () => {
    const c = container(sandbox(), tables());
    const first = await c.tokens.get(soon());
    await c.tokens.invalidate(first);
    expect(await sharedItem()).toBeUndefined();
    const second = await c.tokens.get(soon());
    expect(second).not.toBe(first);
    await c.tokens.invalidate(first); // a late invalidation of the old token
    expect((await sharedItem())?.accessToken).toBe(second);
  });

  it("wrong credentials: a clear error, the lease released, no token in the message", async () => {
    const c = container(sandbox(), tables(), {
      credentials: { clientId: "sandbox-client", clientSecret: "wrong" },
    });
    const error = await c.tokens.get(soon()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnauthorizedError);
    expect((error as Error).message).toBe(
      "the bank refused the client credentials (invalid_client)",
    );
    expect((error as Error).message).not.toContain("wrong");
    expect((await sharedItem())?.leaseUntil).toBeUndefined();
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("a failing token endpoint is retried", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "token", status: 503, count: 2 });
    const c = container(sandbox(), tables());
    await expect(c.tokens.get(soon())).resolves.toMatch(/\./);
    expect((await stats(sandbox())).token).toBe(3);
  });

  // The boundary of "fresh": a token with exactly the refresh margin left is refreshed.
  async function cachedWithTimeLeft(ms: number) {
    const now = Date.now();
    const c = container(sandbox(), tables(), { now: () => now });
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: {
          pk: tokenKey(sandbox()),
          accessToken: "cached.token.value",
          expiresAt: now + ms,
          ttl: 1,
        },
      }),
    );
    return c.tokens.get(soon());
  }

  it("a token with exactly the 60 s margin left is refreshed, not served", async () => {
    expect(await cachedWithTimeLeft(60_000)).not.toBe("cached.token.value");
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("a token with a millisecond more than the margin left is served, with no request", async () => {
    expect(await cachedWithTimeLeft(60_001)).toBe("cached.token.value");
    expect((await stats(sandbox())).token).toBe(0);
  });

  it("waiting on another container's refresh ends at the caller's deadline with a clear error", async () => {
    const c = container(sandbox(), tables());
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        // Held well past the deadline, so only the deadline can end the wait.
        Item: { pk: tokenKey(sandbox()), leaseUntil: Date.now() + 5000, leaseOwner: "other" },
      }),
    );
    c.dynamo.reset();
    const error = await c.tokens.get(Date.now() + 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnavailableError);
    expect(error).toMatchObject({
      operation: "token",
      reason: "timeout",
      status: null,
      attempts: 0,
    });
    expect((await stats(sandbox())).token).toBe(0);
    // It gave up waiting: it only ever read, and the other container's lease is untouched.
    expect(new Set(c.dynamo.calls)).toEqual(new Set(["GetItemCommand"]));
    expect(await sharedItem()).toMatchObject({ leaseOwner: "other" });
  });

  it("a late invalidation of an old token keeps the newer one in memory too", async () => {
    const c = container(sandbox(), tables());
    const first = await c.tokens.get(soon());
    await c.tokens.invalidate(first);
    const second = await c.tokens.get(soon());
    await c.tokens.invalidate(first);
    c.dynamo.reset();
    expect(await c.tokens.get(soon())).toBe(second);
    expect(c.dynamo.total).toBe(0);
  });

  it("a lease that ends exactly now is free: this container refreshes", async () => {
    const now = Date.now();
    const c = container(sandbox(), tables(), { now: () => now });
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: { pk: tokenKey(sandbox()), leaseUntil: now, leaseOwner: "other" },
      }),
    );
    expect((await c.tokens.get(soon())).split(".")).toHaveLength(3);
    expect((await stats(sandbox())).token).toBe(1);
  });

  // While another container holds the lease, a stored token serves only with more than 5 s left.
  async function whileLeased(msLeft: number) {
    const now = Date.now();
    const c = container(sandbox(), tables(), { now: () => now, pollMs: 20 });
    await c.doc.send(
      new PutCommand({
        TableName: tables().bankToken,
        Item: {
          pk: tokenKey(sandbox()),
          accessToken: "leased.token.value",
          expiresAt: now + msLeft,
          leaseUntil: now + 10_000,
          leaseOwner: "other",
        },
      }),
    );
    // The clock stands still: a deadline of exactly one poll away ends the wait at once.
    return c.tokens.get(now + 20).catch((e: unknown) => e);
  }

  it("with exactly 5 s left a token is not handed out: the wait ends at the deadline", async () => {
    expect(await whileLeased(5000)).toMatchObject({ operation: "token", reason: "timeout" });
  });

  it("with 5 s and a millisecond left, it is", async () => {
    expect(await whileLeased(5001)).toBe("leased.token.value");
  });
});
