import { DeleteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Stats } from "bog-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenItemKey } from "../../lib/bog/token-store.js";
import { createDocumentClient } from "../../lib/dynamo/client.js";
import { LOCAL_TABLES } from "../../local/stack.js";
import { npmStart, type StartedStack } from "../support/npm-start.js";

/**
 * `npm start` runs the functions as Lambda does: concurrent requests go to separate
 * containers of functions/<name>/index.ts, each with its own module-scope wiring (its
 * logger, its bank token in memory), one request at a time.
 */

let stack: StartedStack;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  stack = await npmStart();
  doc = createDocumentClient(`http://127.0.0.1:${stack.dynamodbPort}`);
});
afterAll(async () => {
  doc?.destroy();
  expect(await stack?.stop()).toBe(0);
});

async function sandbox(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${stack.sandboxUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}
const stats = async () => (await sandbox("/_sandbox/stats")) as Stats;

async function checkout(key: string): Promise<Response> {
  return fetch(`${stack.apiUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ items: [{ productId: "espresso-cup", quantity: 1 }] }),
  });
}

/**
 * The adapter's lines for the create-order invocations since `from` (container and
 * cold start), once there are `count` of them: the process's output arrives after
 * the answers do.
 */
async function createOrderContainers(from: number, count: number): Promise<string[]> {
  const found = () =>
    [
      ...stack
        .output()
        .slice(from)
        .matchAll(/POST \/orders → \d+ \(create-order (.+?)\)/g),
    ].map((m) => m[1] as string);
  await until(() => found().length >= count);
  return found().sort();
}

/** Waits for the process's output to show something (a hang detector, not a measure). */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited > 10_000) throw new Error(`npm start's output never got there:\n${stack.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The shared bank token item, as every container of every function reads it. */
function tokenKey(): string {
  const clientId = /client id "([^"]+)"/.exec(stack.output())?.[1];
  return tokenItemKey(
    `${stack.sandboxUrl}/auth/realms/bog/protocol/openid-connect/token`,
    `id:${clientId}`,
  );
}

describe("npm start's containers", () => {
  // First: it needs create-order's containers as npm start leaves them (one, warm, no token yet).
  it("module-scope caches are per container: the bank token in memory in one, from DynamoDB or the bank in another", async () => {
    // One checkout: container 1 fetches the token and keeps it in memory.
    expect((await checkout(crypto.randomUUID())).status).toBe(201);
    expect((await stats()).token).toBe(1);
    // The shared item goes; container 1 still has the token in its memory.
    await doc.send(
      new DeleteCommand({ TableName: LOCAL_TABLES.bankToken, Key: { pk: tokenKey() } }),
    );

    // The bank is slow, so that two checkouts are in flight at once: two containers.
    await sandbox("/_sandbox/faults", { target: "createOrder", delayMs: 1500, count: 5 });
    let from = stack.output().length;
    const two = await Promise.all([checkout(crypto.randomUUID()), checkout(crypto.randomUUID())]);
    expect(two.map((r) => r.status)).toEqual([201, 201]);
    expect(await createOrderContainers(from, 2)).toEqual([
      "container 1",
      "container 2, cold start",
    ]);
    // Container 1 used its memory; container 2, cold, found no item and fetched a token.
    // (One handler shared by both requests would have fetched none.)
    expect((await stats()).token).toBe(2);
    expect(
      (
        await doc.send(
          new GetCommand({ TableName: LOCAL_TABLES.bankToken, Key: { pk: tokenKey() } }),
        )
      ).Item?.accessToken,
    ).toEqual(expect.any(String));

    // Three at once: both idle containers again, and a third, cold, that reads the
    // token container 2 stored: no request to the bank's token endpoint.
    from = stack.output().length;
    const three = await Promise.all([1, 2, 3].map(() => checkout(crypto.randomUUID())));
    expect(three.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(await createOrderContainers(from, 3)).toEqual([
      "container 1",
      "container 2",
      "container 3, cold start",
    ]);
    expect((await stats()).token).toBe(2);
  });

  it("20 concurrent failing checkouts log under 20 request ids, each with its own order id", async () => {
    // The bank fails every create-order call (three attempts each), slowly enough
    // that the 20 checkouts overlap and fill the 10 containers.
    await sandbox("/_sandbox/reset", {});
    await sandbox("/_sandbox/faults", {
      target: "createOrder",
      status: 503,
      delayMs: 200,
      count: 1000,
    });
    const from = stack.output().length;
    const keys = Array.from({ length: 20 }, () => crypto.randomUUID());
    const answers = await Promise.all(keys.map((key) => checkout(key)));
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 503));
    for (const answer of answers)
      expect(await answer.json()).toMatchObject({ error: { code: "bank_unavailable" } });
    await sandbox("/_sandbox/reset", {});

    // The order each checkout stored, found through its Idempotency-Key.
    const orderIds = await Promise.all(
      keys.map(async (key) => {
        const { Item } = await doc.send(
          new GetCommand({ TableName: LOCAL_TABLES.orders, Key: { pk: `idem#${key}` } }),
        );
        return Item?.orderId as string;
      }),
    );
    expect(new Set(orderIds).size).toBe(20);

    // Every create-order log line of these invocations: each request id with one order
    // id only, and each order id under one request id only.
    const containers = await createOrderContainers(from, 20);
    const logLines = () =>
      stack
        .output()
        .slice(from)
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.service === "create-order");
    const failures = () => logLines().filter((line) => line.message === "request failed");
    await until(() => failures().length >= 20);
    const lines = logLines();
    const failed = failures();
    expect(failed).toHaveLength(20);
    expect(new Set(failed.map((line) => line.function_request_id)).size).toBe(20);
    expect(new Set(failed.map((line) => line.orderId))).toEqual(new Set(orderIds));
    const orderOf = new Map<unknown, Set<unknown>>();
    const requestOf = new Map<unknown, Set<unknown>>();
    for (const line of lines) {
      if (line.function_request_id === undefined) continue;
      orderOf.set(
        line.function_request_id,
        (orderOf.get(line.function_request_id) ?? new Set()).add(line.orderId),
      );
      requestOf.set(
        line.orderId,
        (requestOf.get(line.orderId) ?? new Set()).add(line.function_request_id),
      );
    }
    for (const orders of orderOf.values()) expect(orders.size).toBe(1);
    for (const requests of requestOf.values()) expect(requests.size).toBe(1);
    // The cap: at most 10 create-order containers, whatever the load.
    expect(containers).toHaveLength(20);
    for (const c of containers)
      expect(Number(/container (\d+)/.exec(c)?.[1])).toBeLessThanOrEqual(10);
  });
});
