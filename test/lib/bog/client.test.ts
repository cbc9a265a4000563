import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { parseCallbackEvent } from "../../../lib/bog/callback-event.js";
import {
  loadCallbackPublicKey,
  verifyCallbackSignature,
} from "../../../lib/bog/callback-signature.js";
import { BogClient, type CreateOrderRequest } from "../../../lib/bog/client.js";
import {
  BankRejectedError,
  BankUnauthorizedError,
  BankUnavailableError,
} from "../../../lib/errors.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { container, forgetSharedToken, soon } from "../../support/bank-container.js";
import { useDynamoTables } from "../../support/dynamo-fixture.js";
import { useSandbox } from "../../support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();
const tables = useDynamoTables();

beforeEach(async () => {
  await forgetSharedToken(sandbox(), tables());
});

function order(overrides: Partial<CreateOrderRequest> = {}): CreateOrderRequest {
  return {
    callbackUrl: receiver().url,
    externalOrderId: "3f0c6a1e-6d3b-4c53-9a8e-2b1f0c9d8e7a",
    currency: "GEL",
    total: 2800,
    basket: [
      { productId: "sku-cup", description: "Espresso cup", quantity: 2, unitPrice: 1250 },
      { productId: "sku-spoon", quantity: 1, unitPrice: 300 },
    ],
    redirectUrls: { success: "http://127.0.0.1:9/ok", fail: "http://127.0.0.1:9/fail" },
    ...overrides,
  };
}

const key = () => randomUUID();

describe("bank client", () => {
  it("creates an order and reads its details", async () => {
    const { client } = container(sandbox(), tables());
    const created = await client.createOrder(order({ language: "en", ttlMinutes: 30 }), {
      idempotencyKey: key(),
      deadline: soon(),
    });
    expect(created.redirectUrl).toBe(`${sandbox().url}/?order_id=${created.bankOrderId}`);
    expect(created.detailsUrl).toBe(`${sandbox().url}/payments/v1/receipt/${created.bankOrderId}`);
    const details = await client.getPaymentDetails(created.bankOrderId, { deadline: soon() });
    expect(details).toMatchObject({
      bankOrderId: created.bankOrderId,
      externalOrderId: "3f0c6a1e-6d3b-4c53-9a8e-2b1f0c9d8e7a",
      status: "created",
      knownStatus: "created",
      requestAmount: 2800,
      currency: "GEL",
      lang: "en",
    });
  });

  it("sends amounts as exact JSON numbers the bank's total check accepts", async () => {
    const { client } = container(sandbox(), tables());
    const created = await client.createOrder(
      order({
        currency: "USD",
        total: 1 + 2 + 10_010,
        delivery: 10_010,
        basket: [
          { productId: "a", quantity: 1, unitPrice: 1 },
          { productId: "b", quantity: 2, unitPrice: 1 },
        ],
      }),
      { idempotencyKey: key(), deadline: soon() },
    );
    const details = await client.getPaymentDetails(created.bankOrderId, { deadline: soon() });
    expect(details.requestAmount).toBe(10_013);
  });

  it("refunds, in part and in full, and the signed callbacks parse", async () => {
    const { client } = container(sandbox(), tables());
    const { bankOrderId } = await client.createOrder(order(), {
      idempotencyKey: key(),
      deadline: soon(),
    });
    await post(sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    const partial = await client.refund(bankOrderId, {
      amount: 550,
      idempotencyKey: key(),
      deadline: soon(),
    });
    expect(partial.actionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.getPaymentDetails(bankOrderId, { deadline: soon() })).toMatchObject({
      status: "refunded_partially",
      refundAmount: 550,
      transferAmount: 2250,
    });
    await client.refund(bankOrderId, { idempotencyKey: key(), deadline: soon() });
    expect((await client.getPaymentDetails(bankOrderId, { deadline: soon() })).status).toBe(
      "refunded",
    );

    const callbacks = await receiver().waitFor(3);
    const publicKey = loadCallbackPublicKey(sandbox().publicKeyPem);
    const statuses = callbacks.map((c) => {
      expect(
        verifyCallbackSignature(c.raw, String(c.headers["callback-signature"]), publicKey),
      ).toBe(true);
      const parsed = parseCallbackEvent(c.raw);
      return parsed.ok ? parsed.value.details.status : parsed.problem;
    });
    expect(statuses).toEqual(["completed", "refunded_partially", "refunded"]);
  });

  it("approves and cancels pre-authorizations", async () => {
    const { client } = container(sandbox(), tables());
    const first = await client.createOrder(order({ capture: "manual", paymentMethods: ["card"] }), {
      idempotencyKey: key(),
      deadline: soon(),
    });
    const second = await client.createOrder(
      order({ capture: "manual", paymentMethods: ["card"] }),
      {
        idempotencyKey: key(),
        deadline: soon(),
      },
    );
    for (const o of [first, second]) {
      await post(sandbox(), `/_sandbox/orders/${o.bankOrderId}/pay`, { outcome: "completed" });
    }
    await client.approvePreauthorization(first.bankOrderId, {
      amount: 2000,
      idempotencyKey: key(),
      deadline: soon(),
    });
    await client.cancelPreauthorization(second.bankOrderId, {
      description: "out of stock",
      idempotencyKey: key(),
      deadline: soon(),
    });
    expect((await client.getPaymentDetails(first.bankOrderId, { deadline: soon() })).status).toBe(
      "partial_completed",
    );
    expect((await client.getPaymentDetails(second.bankOrderId, { deadline: soon() })).status).toBe(
      "rejected",
    );
  });

  it("a refused request is a BankRejectedError with the bank's message, not retried", async () => {
    const { client } = container(sandbox(), tables());
    const error = await client
      .createOrder(order({ total: 2799 }), { idempotencyKey: key(), deadline: soon() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankRejectedError);
    expect(error).toMatchObject({ status: 400, operation: "createOrder" });
    expect((error as BankRejectedError).bankMessage).toContain("expected 28.00, got 27.99");
    expect((await stats(sandbox())).createOrder).toBe(1);
    await expect(
      client.getPaymentDetails("3b241101-e2bb-4255-8caf-4136c566a962", { deadline: soon() }),
    ).rejects.toMatchObject({ status: 400, bankMessage: "Invalid order_id" });
  });

  it("401: drops the token, fetches a new one, retries once", async () => {
    const c = container(sandbox(), tables());
    const before = await c.tokens.get(soon());
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", status: 401 });
    await c.client.createOrder(order(), { idempotencyKey: key(), deadline: soon() });
    expect(await c.tokens.get(soon())).not.toBe(before);
    expect(await stats(sandbox())).toMatchObject({ token: 2, createOrder: 2, ordersCreated: 1 });
  });

  it("a token the bank forgot (reset) is replaced on the next call", async () => {
    const c = container(sandbox(), tables());
    const { bankOrderId } = await c.client.createOrder(order(), {
      idempotencyKey: key(),
      deadline: soon(),
    });
    await post(sandbox(), "/_sandbox/reset", {});
    await expect(
      c.client.getPaymentDetails(bankOrderId, { deadline: soon() }),
    ).rejects.toMatchObject({
      bankMessage: "Invalid order_id",
    });
    expect((await stats(sandbox())).token).toBe(1);
  });

  it("401 twice (its token and another container's cached one revoked): a third, from the bank, is used", async () => {
    const c = container(sandbox(), tables());
    const { bankOrderId } = await c.client.createOrder(order(), {
      idempotencyKey: key(),
      deadline: soon(),
    });
    const tokensBefore = (await stats(sandbox())).token;
    await post(sandbox(), "/_sandbox/faults", { target: "receipt", status: 401, count: 2 });
    const details = await c.client.getPaymentDetails(bankOrderId, { deadline: soon() });
    expect(details.bankOrderId).toBe(bankOrderId);
    expect((await stats(sandbox())).receipt).toBe(3);
    expect((await stats(sandbox())).token).toBeGreaterThan(tokensBefore);
  });

  it("401 three times: BankUnauthorizedError, with no token in the message", async () => {
    const c = container(sandbox(), tables());
    await post(sandbox(), "/_sandbox/faults", { target: "receipt", status: 401, count: 3 });
    const error = await c.client
      .getPaymentDetails(randomUUID(), { deadline: soon() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnauthorizedError);
    const token = await c.tokens.get(soon());
    expect((error as Error).message).not.toContain(token.slice(0, 20));
    expect((error as Error).message).toBe("the bank refused a fresh token for receipt");
  });

  it.each([503, 500, 502, 429])(
    "a %i is retried with the same Idempotency-Key: one bank order",
    async (status) => {
      const { client } = container(sandbox(), tables());
      await post(sandbox(), "/_sandbox/faults", { target: "createOrder", status, count: 1 });
      await client.createOrder(order(), { idempotencyKey: key(), deadline: soon() });
      expect(await stats(sandbox())).toMatchObject({ createOrder: 2, ordersCreated: 1 });
    },
  );

  it("a bank that stays down: BankUnavailableError after the attempts, no order", async () => {
    const { client } = container(sandbox(), tables());
    await client.createOrder(order(), { idempotencyKey: key(), deadline: soon() }); // warm token
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 5 });
    const error = await client
      .createOrder(order(), { idempotencyKey: key(), deadline: soon() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnavailableError);
    expect(error).toMatchObject({
      reason: "status",
      status: 503,
      attempts: 3,
      retryAfterSeconds: 1,
    });
    expect(await stats(sandbox())).toMatchObject({ createOrder: 4, ordersCreated: 1 });
  });

  it("a hang past the timeout is retried with the same key and reaches the same bank order", async () => {
    const c = container(sandbox(), tables());
    await c.tokens.get(soon());
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", delayMs: 2000 });
    const client = new BogClient({
      endpoints: {
        tokenUrl: `${sandbox().url}/auth/realms/bog/protocol/openid-connect/token`,
        apiBaseUrl: `${sandbox().url}/payments/v1`,
      },
      tokens: c.tokens,
      policy: {
        maxAttempts: 3,
        baseDelayMs: 10,
        maxDelayMs: 50,
        attemptTimeoutMs: 300,
        minAttemptMs: 50,
      },
    });
    const created = await client.createOrder(order(), { idempotencyKey: key(), deadline: soon() });
    expect(await stats(sandbox())).toMatchObject({ createOrder: 2, ordersCreated: 1 });
    expect((await get(sandbox(), `/_sandbox/orders/${created.bankOrderId}`)).status).toBe(200);
  });

  it("a hang past the caller's deadline: BankUnavailableError (timeout)", async () => {
    const c = container(sandbox(), tables());
    await c.tokens.get(soon());
    await post(sandbox(), "/_sandbox/faults", { target: "receipt", delayMs: 3000, count: 3 });
    const started = Date.now();
    const error = await c.client
      .getPaymentDetails(randomUUID(), { deadline: started + 800 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnavailableError);
    expect(error).toMatchObject({ reason: "timeout", attempts: 1 });
  });

  it("a token request that cannot finish before the deadline is not started", async () => {
    const c = container(sandbox(), tables());
    const error = await c.tokens.get(Date.now() + 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnavailableError);
    expect((await stats(sandbox())).token).toBe(0);
  });
});

describe("bank client, against a bank answering what the sandbox never does", () => {
  it("keeps an unknown status as written and reports it", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          order_id: "b1",
          order_status: { key: "on_hold", value: "?" },
          surprise: [1, 2],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const warnings: Array<{ message: string; attributes?: Record<string, unknown> }> = [];
    const client = new BogClient({
      endpoints: { tokenUrl: "unused", apiBaseUrl: `http://127.0.0.1:${port}/payments/v1` },
      tokens: { get: async () => "t", invalidate: async () => undefined },
      log: { warn: (message, attributes) => warnings.push({ message, attributes }) },
    });
    try {
      const details = await client.getPaymentDetails("b1", { deadline: soon() });
      expect(details).toMatchObject({ status: "on_hold", knownStatus: null });
      expect(warnings).toEqual([
        {
          message: "the bank reported a status we do not know; kept as written",
          attributes: { bankOrderId: "b1", status: "on_hold" },
        },
      ]);
    } finally {
      server.close();
    }
  });
});
