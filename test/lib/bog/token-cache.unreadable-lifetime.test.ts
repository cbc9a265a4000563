import { beforeEach, describe, expect, it } from "vitest";
import { post, stats } from "../../support/bank-calls.js";
import { container, forgetSharedToken, soon } from "../../support/bank-container.js";
import { useDynamoTables } from "../../support/dynamo-fixture.js";
import { useSandbox } from "../../support/sandbox-fixture.js";

/**
 * A token whose lifetime cannot be read (an opaque token, `expires_in` as the bank's
 * own example writes it, or a minute) is kept for the bounded default, never fetched
 * again per call, and replaced when the bank refuses it (401).
 */

const { sandbox } = useSandbox();
const tables = useDynamoTables();

beforeEach(async () => {
  await forgetSharedToken(sandbox(), tables());
});

async function tenLookups(client: ReturnType<typeof container>["client"], bankOrderId: string) {
  for (let i = 0; i < 10; i += 1) {
    expect((await client.getPaymentDetails(bankOrderId, { deadline: soon() })).status).toBe(
      "created",
    );
  }
}

async function anOrder(client: ReturnType<typeof container>["client"]) {
  const created = await client.createOrder(
    {
      callbackUrl: "http://127.0.0.1:9/cb",
      externalOrderId: "3f0c6a1e-6d3b-4c53-9a8e-2b1f0c9d8e7a",
      currency: "GEL",
      total: 100,
      basket: [{ productId: "p", quantity: 1, unitPrice: 100 }],
      redirectUrls: {},
    },
    { idempotencyKey: crypto.randomUUID(), deadline: soon() },
  );
  return created.bankOrderId;
}

describe("a token whose lifetime cannot be read", () => {
  it.each<[string, Record<string, unknown>]>([
    [
      "opaque, expires_in the document's example (an epoch in ms, past)",
      { tokenFormat: "opaque", expiresInValue: 1634719923245 },
    ],
    ["opaque, expires_in 60 seconds", { tokenFormat: "opaque", expiresInValue: 60 }],
    ["opaque, expires_in 0", { tokenFormat: "opaque", expiresInValue: 0 }],
  ])("%s: one token request for eleven bank calls", async (_case, settings) => {
    expect((await post(sandbox(), "/_sandbox/config", settings)).status).toBe(200);
    const { client } = container(sandbox(), tables());
    await tenLookups(client, await anOrder(client));
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("is replaced when the bank refuses it, once", async () => {
    await post(sandbox(), "/_sandbox/config", {
      tokenFormat: "opaque",
      expiresInValue: 1634719923245,
    });
    const { client } = container(sandbox(), tables());
    const bankOrderId = await anOrder(client);
    // The bank forgets every token it issued (and, here, every order): the next call gets 401.
    const before = (await stats(sandbox())).token;
    sandbox().bank.tokens.reset();
    await tenLookups(client, bankOrderId);
    expect((await stats(sandbox())).token - before).toBe(1);
  });
});
