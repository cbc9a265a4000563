import { describe, expect, it } from "vitest";
import { bankMessage, retryAfterSeconds, sendToBank } from "../../../lib/bog/bank-http.js";
import { BankUnavailableError } from "../../../lib/errors.js";
import { post, stats, token, validOrder } from "../../support/bank-calls.js";
import { useSandbox } from "../../support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();
const soon = () => Date.now() + 10_000;

async function createOrderRequest(retrySafe: boolean, headers: Record<string, string> = {}) {
  return {
    operation: "createOrder",
    method: "POST" as const,
    url: `${sandbox().url}/payments/v1/ecommerce/orders`,
    headers: {
      authorization: `Bearer ${await token(sandbox())}`,
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify(validOrder(receiver().url)),
    retrySafe,
  };
}

describe("requests to the bank", () => {
  it("never retries a POST that is not safe to repeat", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 3 });
    const error = await sendToBank(await createOrderRequest(false), { deadline: soon() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BankUnavailableError);
    expect(error).toMatchObject({ attempts: 1, status: 503 });
    expect((await stats(sandbox())).createOrder).toBe(1);
  });

  it("never retries a timed-out POST that is not safe to repeat: the order may exist", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", delayMs: 1000 });
    const error = await sendToBank(await createOrderRequest(false), {
      deadline: soon(),
      policy: {
        maxAttempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 1,
        attemptTimeoutMs: 200,
        minAttemptMs: 10,
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "timeout", attempts: 1 });
    expect(await stats(sandbox())).toMatchObject({ createOrder: 1, ordersCreated: 1 });
  });

  it("honours Retry-After before retrying", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", status: 429 });
    const started = Date.now();
    const response = await sendToBank(
      await createOrderRequest(true, { "idempotency-key": "2c0a8f3e-5b1d-4e6f-9a7b-8c9d0e1f2a3b" }),
      { deadline: soon() },
    );
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    // Retry-After: 1 from the sandbox; recorded by the clock, not asserted on timing precision.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("gives up at once when Retry-After is beyond the deadline", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503 });
    const error = await sendToBank(
      await createOrderRequest(true, { "idempotency-key": "4d7e2a1b-9c3f-4a5e-8b6d-1f0e2d3c4b5a" }),
      { deadline: Date.now() + 600 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      reason: "status",
      status: 503,
      attempts: 1,
      retryAfterSeconds: 1,
    });
  });

  it("a refused connection is a network failure", async () => {
    const error = await sendToBank(
      {
        operation: "receipt",
        method: "GET",
        url: "http://127.0.0.1:1/x",
        headers: {},
        retrySafe: true,
      },
      {
        deadline: soon(),
        policy: {
          maxAttempts: 2,
          baseDelayMs: 1,
          maxDelayMs: 1,
          attemptTimeoutMs: 500,
          minAttemptMs: 1,
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: "network", attempts: 2, status: null });
  });

  it("reads Retry-After as seconds or as a date", () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0);
    expect(retryAfterSeconds(new Headers({ "retry-after": "7" }), now)).toBe(7);
    expect(
      retryAfterSeconds(new Headers({ "retry-after": new Date(now + 30_000).toUTCString() }), now),
    ).toBe(30);
    expect(retryAfterSeconds(new Headers({ "retry-after": "soon" }), now)).toBeNull();
    expect(retryAfterSeconds(new Headers(), now)).toBeNull();
  });

  it("takes the bank's message from its error bodies, trimmed and one line", () => {
    expect(bankMessage('{"message":"Invalid order_id"}')).toBe("Invalid order_id");
    expect(bankMessage('{"error":"invalid_client","error_description":"Invalid client"}')).toBe(
      "Invalid client",
    );
    expect(bankMessage("<html>Bad Gateway</html>\r\n")).toBe("<html>Bad Gateway</html>");
    expect(bankMessage("")).toBe("(no message)");
    expect(bankMessage("x".repeat(1000))).toHaveLength(301);
  });
});
