import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer, type Functions, type LambdaResult } from "../../local/api-server.js";
import { createFunctionPool, type LambdaHandler } from "../../local/container-pool.js";
import { shopApi } from "../../local/frontend-client.js";
import { createLocalOrderBus } from "../../local/order-webhook.js";
import { post } from "../support/bank-calls.js";
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
      ["/merchant-page.js", "text/javascript"],
      ["/merchant-list.js", "text/javascript"],
      ["/merchant-cards.js", "text/javascript"],
      ["/merchant-order.js", "text/javascript"],
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

describe("local API: the API's document", () => {
  it("GET /openapi.json is the list-products function's answer, as in AWS (with CORS)", async () => {
    const answer = await fetch(`${base}/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("public, max-age=300");
    const document = (await answer.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toContain("/orders");
    expect(Object.keys(document.paths).some((p) => p.startsWith("/merchant"))).toBe(false);
  });

  it("/docs renders the whole openapi.yaml with Swagger UI from node_modules, no CDN", async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const [path, type] of [
      ["/docs/swagger-ui-bundle.js", "text/javascript"],
      ["/docs/swagger-ui.css", "text/css"],
      ["/docs/docs.js", "text/javascript"],
    ]) {
      expect(html).toContain(path);
      const file = await fetch(`${base}${path}`);
      expect(file.status, path).toBe(200);
      expect(file.headers.get("content-type"), path).toContain(type);
    }
    const whole = (await (await fetch(`${base}/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      webhooks: Record<string, unknown>;
    };
    expect(Object.keys(whole.paths)).toContain("/merchant/orders");
    expect(Object.keys(whole.webhooks)).toEqual([
      "bankCallback",
      "orderStatusChanged",
      "cardSaved",
      "cardDeleted",
    ]);
  });
});

describe("the typed frontend client (local/frontend-client.ts, quoted in docs/api.md)", () => {
  it("starts a payment with an Idempotency-Key and polls the order until it is final", async () => {
    const shop = shopApi(base);
    const cartKey = crypto.randomUUID();
    const started = await shop.startPayment(cartKey, [{ productId: "sku-cup", quantity: 2 }]);
    expect(await shop.startPayment(cartKey, [{ productId: "sku-cup", quantity: 2 }])).toEqual(
      started,
    );
    const bankOrderId = new URL(started.redirectUrl).searchParams.get("order_id");
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    const final = await shop.finalState(started.orderId, 100);
    expect(final).toMatchObject({ orderId: started.orderId, status: "completed", amount: "25.00" });
    const otherCart = crypto.randomUUID();
    await expect(
      shop.startPayment(otherCart, [{ productId: "nope", quantity: 1 }]),
    ).rejects.toThrow(/^400 unknown_product: /);
  });
});

describe("local API: POST /_local/webhook/redrive (npm run webhook -- redrive --local)", () => {
  it("started without ORDER_WEBHOOK_URL: 409 no_webhook, said as it is; from a web page (Origin): 403", async () => {
    const bus = createLocalOrderBus({ log: () => undefined });
    const noFunctions = {} as Functions;
    const local = createApiServer(noFunctions, {
      shopOrigins: [],
      log: () => undefined,
      orderEvents: bus,
    });
    await new Promise<void>((resolve) => local.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/_local/webhook/redrive`;
    try {
      const answer = await fetch(url, { method: "POST" });
      expect(answer.status).toBe(409);
      expect(await answer.json()).toEqual({
        error: {
          code: "no_webhook",
          message: "no webhook: start npm start with ORDER_WEBHOOK_URL",
        },
      });
      const fromPage = await fetch(url, { method: "POST", headers: { origin: "null" } });
      expect(fromPage.status).toBe(403);
    } finally {
      local.closeAllConnections();
      await new Promise((resolve) => local.close(resolve));
    }
  });
});
