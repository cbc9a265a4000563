import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer, type Functions, type LambdaResult } from "../../local/api-server.js";
import { createFunctionPool, type LambdaHandler } from "../../local/container-pool.js";
import { useFunctions } from "../support/functions.js";

/**
 * The local adapter in front of the real handlers (DynamoDB Local, the sandbox): what
 * a request path becomes on its way to a function. Each function is one container of
 * the test harness's handler (the containers of index.ts: test/local/containers.test.ts).
 */

const fx = useFunctions();
let server: Server | undefined;
let base = "";

beforeAll(async () => {
  const h = fx.handlers();
  const one = <E>(name: string, handler: LambdaHandler<E, LambdaResult>) =>
    createFunctionPool({ name, load: async () => handler, maxContainers: 1, timeoutMs: 15_000 });
  const functions: Functions = {
    listProducts: one<APIGatewayProxyEventV2>("list-products", h.listProducts),
    createOrder: one<APIGatewayProxyEventV2>("create-order", h.createOrder),
    getStatus: one<APIGatewayProxyEventV2>("get-status", h.getStatus),
    merchant: one<APIGatewayProxyEventV2>("merchant", h.merchantApi),
    callback: one<LambdaFunctionURLEvent>("callback", h.callback),
  };
  server = createApiServer(functions, { shopOrigins: [], log: () => undefined });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe("local API: GET /orders/{orderId}", () => {
  it.each(["%E0%A4%A", "%zz", "abc%", "%C0%AF"])(
    "an id whose escape does not decode (%s) is an unknown order: 404 order_not_found",
    async (id) => {
      const answer = await fetch(`${base}/orders/${id}`);
      expect(answer.status).toBe(404);
      expect(answer.headers.get("content-type")).toContain("application/json");
      expect(await answer.json()).toEqual({
        error: { code: "order_not_found", message: expect.any(String) },
      });
    },
  );

  it("decodes a well-formed escape, as API Gateway does", async () => {
    const created = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    expect(created.status).toBe(201);
    const orderId = created.body.orderId as string;
    const escaped = `%${orderId.charCodeAt(0).toString(16)}${orderId.slice(1)}`;
    const answer = await fetch(`${base}/orders/${escaped}`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { orderId: string }).orderId).toBe(orderId);
  });
});

describe("local API: POST /orders/{orderId}/wallet-payment", () => {
  it("reaches the create-order function as API Gateway routes it (with CORS), not the adapter's 404", async () => {
    const created = await fx.postOrder({
      items: [{ productId: "sku-cup", quantity: 1 }],
      wallet: { type: "apple_pay" },
    });
    const orderId = created.body.orderId as string;
    const refused = await fetch(`${base}/orders/${orderId}/wallet-payment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "invalid_request" } });
    const paid = await fetch(`${base}/orders/${orderId}/wallet-payment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "apple-pay-token" }),
    });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ orderId, status: "completed" });
    const unknown = await fetch(`${base}/orders/${crypto.randomUUID()}/wallet-payment`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "t" }),
    });
    expect(await unknown.json()).toMatchObject({ error: { code: "order_not_found" } });
  });
});

describe("local API: the back office at /merchant", () => {
  it("serves its page and modules; the JSON routes under /merchant/orders are the merchant function's", async () => {
    const page = await fetch(`${base}/merchant`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('<script type="module" src="/merchant.js">');
    for (const [path, type] of [
      ["/merchant.js", "text/javascript"],
      ["/merchant-i18n.js", "text/javascript"],
      ["/i18n.js", "text/javascript"],
      ["/merchant.css", "text/css"],
    ]) {
      const file = await fetch(`${base}${path}`);
      expect(file.status, path).toBe(200);
      expect(file.headers.get("content-type"), path).toContain(type);
    }

    const list = await fetch(`${base}/merchant/orders?limit=1`);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toContain("application/json");
    expect(await list.json()).toEqual({ orders: expect.any(Array), nextCursor: expect.anything() });
    const unknown = await fetch(`${base}/merchant/orders/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
      "order_not_found",
    );
    // Only GET serves the page; a path under /merchant/ that is no route is API Gateway's 404.
    expect((await fetch(`${base}/merchant`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${base}/merchant/nothing`)).status).toBe(404);
  });
});
