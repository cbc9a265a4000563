import { generateKeyPairSync } from "node:crypto";
import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app.js";
import { readSettings } from "../../infra/settings.js";

const valid = { shopOrigins: ["https://shop.example"] };
const pem = (type: "rsa" | "ec") => {
  const { publicKey, privateKey } =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
};
const rsa = pem("rsa");
const ec = pem("ec");
const read = (context: Record<string, unknown>) => readSettings((key) => context[key]);

describe("deployment settings", () => {
  it("has safe defaults beside the shop's origins", () => {
    expect(read(valid)).toEqual({
      shopOrigins: ["https://shop.example"],
      successUrlTemplate: undefined,
      failUrlTemplate: undefined,
      bankEnvironment: "production",
      logRetentionDays: 365,
      throttleRateLimit: 50,
      throttleBurstLimit: 100,
      alarmEmail: undefined,
      reservedConcurrency: {
        listProducts: 100,
        createOrder: 200,
        getStatus: 150,
        callback: 50,
        merchant: 50,
      },
      routeThrottles: {
        "GET /products": { rateLimit: 50, burstLimit: 100 },
        "POST /orders": { rateLimit: 25, burstLimit: 50 },
        "GET /orders/{orderId}": { rateLimit: 100, burstLimit: 200 },
        "POST /orders/{orderId}/wallet-payment": { rateLimit: 25, burstLimit: 50 },
        "GET /openapi.json": { rateLimit: 50, burstLimit: 100 },
        "POST /merchant/orders": { rateLimit: 25, burstLimit: 50 },
        "GET /merchant/orders": { rateLimit: 10, burstLimit: 20 },
        "GET /merchant/orders/{orderId}": { rateLimit: 25, burstLimit: 50 },
        "POST /merchant/orders/{orderId}/refund": { rateLimit: 5, burstLimit: 10 },
        "POST /merchant/orders/{orderId}/capture": { rateLimit: 5, burstLimit: 10 },
        "POST /merchant/orders/{orderId}/void": { rateLimit: 5, burstLimit: 10 },
        "GET /merchant/customers/{customerRef}/cards": { rateLimit: 25, burstLimit: 50 },
        "POST /merchant/cards/{cardId}/charges": { rateLimit: 25, burstLimit: 50 },
        "DELETE /merchant/cards/{cardId}": { rateLimit: 5, burstLimit: 10 },
      },
      unsignedCallbackAlarmThreshold: 300,
      captureMode: "automatic",
      bankCampaign: undefined,
      bankAccountTag: undefined,
      bankMerchantId: undefined,
      bankCallbackPublicKey: undefined,
      // Every index of the orders table (lib/dynamo/tables.ts).
      ordersIndexes: 6,
      reconcileEveryMinutes: 5,
      blockedCheckHours: 24,
      openOrderAlarmMinutes: 1500,
      // No webhook: order events stay on the bus.
      orderWebhookUrl: undefined,
    });
  });

  it("takes the shop's order webhook as an https URL, path and query kept", () => {
    expect(
      read({ ...valid, orderWebhookUrl: " https://shop.example/bog/events?src=bog " })
        .orderWebhookUrl,
    ).toBe("https://shop.example/bog/events?src=bog");
    expect(read({ ...valid, orderWebhookUrl: "" }).orderWebhookUrl).toBeUndefined();
  });

  it("takes plain http origins only on loopback hosts, the rule of lib/loopback.ts", () => {
    const local = ["http://localhost:5173", "http://127.0.0.2:3000", "http://[::1]:8080"];
    expect(read({ shopOrigins: local }).shopOrigins).toEqual(local);
    expect(() => read({ shopOrigins: ["http://128.0.0.1"] })).toThrow("must be https");
    expect(() => read({ shopOrigins: ["http://localhost.shop.example"] })).toThrow("must be https");
  });

  it("takes origins as a list or as the comma-separated text -c gives", () => {
    expect(read({ shopOrigins: "https://a.example, https://b.example:8443" }).shopOrigins).toEqual([
      "https://a.example",
      "https://b.example:8443",
    ]);
    expect(read({ ...valid, logRetentionDays: "30", throttleRateLimit: "10" })).toMatchObject({
      logRetentionDays: 30,
      throttleRateLimit: 10,
    });
  });

  it("reserves per function, partly overridden, or not at all (also as -c text)", () => {
    expect(
      read({ ...valid, reservedConcurrency: { createOrder: 300 } }).reservedConcurrency,
    ).toEqual({
      listProducts: 100,
      createOrder: 300,
      getStatus: 150,
      callback: 50,
      merchant: 50,
    });
    expect(read({ ...valid, reservedConcurrency: { merchant: 20 } }).reservedConcurrency).toEqual({
      listProducts: 100,
      createOrder: 200,
      getStatus: 150,
      callback: 50,
      merchant: 20,
    });
    expect(
      read({ ...valid, reservedConcurrency: '{"getStatus": "20", "callback": 5}' })
        .reservedConcurrency,
    ).toMatchObject({ getStatus: 20, callback: 5 });
    expect(read({ ...valid, reservedConcurrency: false }).reservedConcurrency).toBe(false);
    expect(read({ ...valid, reservedConcurrency: "false" }).reservedConcurrency).toBe(false);
  });

  it("throttles a route as given, from cdk.json or as -c JSON text", () => {
    expect(
      read({ ...valid, routeThrottles: '{"POST /orders": {"rateLimit": 10, "burstLimit": 20}}' })
        .routeThrottles["POST /orders"],
    ).toEqual({ rateLimit: 10, burstLimit: 20 });
    const merchant = read({
      ...valid,
      routeThrottles: { "POST /merchant/orders/{orderId}/refund": { rateLimit: 1 } },
    }).routeThrottles;
    expect(merchant["POST /merchant/orders/{orderId}/refund"]).toEqual({
      rateLimit: 1,
      burstLimit: 10,
    });
    expect(merchant["POST /merchant/orders/{orderId}/void"]).toEqual({
      rateLimit: 5,
      burstLimit: 10,
    });
  });

  it("creates as many of the orders table's indexes as set, from cdk.json or -c text; unset is all", () => {
    expect(read({ ...valid, ordersIndexes: 2 }).ordersIndexes).toBe(2);
    expect(read({ ...valid, ordersIndexes: "3" }).ordersIndexes).toBe(3);
    expect(read({ ...valid, ordersIndexes: 4 }).ordersIndexes).toBe(4);
    expect(read({ ...valid, ordersIndexes: 1 }).ordersIndexes).toBe(1);
    expect(read({ ...valid, ordersIndexes: 5 }).ordersIndexes).toBe(5);
    expect(read({ ...valid, ordersIndexes: "" }).ordersIndexes).toBe(6);
  });

  it("runs the sweep as often as set, and alarms on an order open as long as set (also as -c text)", () => {
    expect(read({ ...valid, reconcileEveryMinutes: 1 }).reconcileEveryMinutes).toBe(1);
    expect(read({ ...valid, reconcileEveryMinutes: "15" }).reconcileEveryMinutes).toBe(15);
    expect(read({ ...valid, blockedCheckHours: "6" }).blockedCheckHours).toBe(6);
    expect(read({ ...valid, openOrderAlarmMinutes: "120" }).openOrderAlarmMinutes).toBe(120);
  });

  it("captures as set, knows the merchant's id as text, and reads the bank's key from PEM", () => {
    expect(read({ ...valid, captureMode: "manual" }).captureMode).toBe("manual");
    expect(read({ ...valid, bankMerchantId: 39155 }).bankMerchantId).toBe("39155");
    expect(read({ ...valid, bankMerchantId: " 39155 " }).bankMerchantId).toBe("39155");
    const key = rsa.publicPem.trim();
    expect(read({ ...valid, bankCallbackPublicKey: key }).bankCallbackPublicKey).toBe(key);
    // One line, as cdk.json or a shell may carry it.
    expect(
      read({ ...valid, bankCallbackPublicKey: key.replaceAll("\n", "\\n") }).bankCallbackPublicKey,
    ).toBe(key);
  });

  it("the test environment needs the bank's test key: the published one is production's", () => {
    expect(() => read({ ...valid, bankEnvironment: "test" })).toThrow(
      'CDK context "bankCallbackPublicKey" is required with bankEnvironment "test"',
    );
    expect(
      read({ ...valid, bankEnvironment: "test", bankCallbackPublicKey: rsa.publicPem })
        .bankCallbackPublicKey,
    ).toBe(rsa.publicPem.trim());
  });

  it.each([
    [{}, "shopOrigins", "is required"],
    [{ shopOrigins: [] }, "shopOrigins", "is required"],
    [{ shopOrigins: ["*"] }, "shopOrigins", 'has "*", which is not an origin'],
    [{ shopOrigins: ["https://shop.example/"] }, "shopOrigins", "with no path or slash"],
    [{ shopOrigins: ["https://shop.example/app"] }, "shopOrigins", "with no path or slash"],
    [{ shopOrigins: ["http://shop.example"] }, "shopOrigins", "must be https"],
    [{ shopOrigins: ["http://127.0.0.1.nip.io"] }, "shopOrigins", "must be https"],
    [
      { ...valid, successUrlTemplate: "shop/{orderId}" },
      "successUrlTemplate",
      "must be an absolute URL",
    ],
    [
      { ...valid, failUrlTemplate: "http://shop.example/{orderId}" },
      "failUrlTemplate",
      "must be an https URL",
    ],
    [{ ...valid, bankEnvironment: "sandbox" }, "bankEnvironment", "must be production or test"],
    [{ ...valid, logRetentionDays: 45 }, "logRetentionDays", "must be one CloudWatch Logs offers"],
    [{ ...valid, logRetentionDays: "forever" }, "logRetentionDays", "must be a whole number"],
    [{ ...valid, throttleRateLimit: 0 }, "throttleRateLimit", "must be a whole number from 1"],
    [{ ...valid, throttleBurstLimit: 1.5 }, "throttleBurstLimit", "must be a whole number"],
    [{ ...valid, alarmEmail: "ops" }, "alarmEmail", "must be an e-mail address"],
    [{ ...valid, bankEnvironment: 1 }, "bankEnvironment", "must be a string"],
    [{ ...valid, reservedConcurrency: true }, "reservedConcurrency", "must be false, or an object"],
    [
      { ...valid, reservedConcurrency: [100] },
      "reservedConcurrency",
      "must be false, or an object",
    ],
    [
      { ...valid, reservedConcurrency: "{createOrder: 1}" },
      "reservedConcurrency",
      "not valid JSON",
    ],
    [
      { ...valid, reservedConcurrency: { createOrders: 300 } },
      "reservedConcurrency",
      'has "createOrders", which is not a function of this stack',
    ],
    [
      { ...valid, reservedConcurrency: { createOrder: 0 } },
      "reservedConcurrency.createOrder",
      "must be a whole number from 1 to 10000",
    ],
    [
      { ...valid, unsignedCallbackAlarmThreshold: 0 },
      "unsignedCallbackAlarmThreshold",
      "must be a whole number from 1 to 1000000",
    ],
    [{ ...valid, captureMode: "auto" }, "captureMode", "must be automatic or manual"],
    [{ ...valid, bankMerchantId: "39 155" }, "bankMerchantId", "the merchant's id as the bank"],
    [{ ...valid, bankMerchantId: { id: 1 } }, "bankMerchantId", "must be a string"],
    [{ ...valid, bankCallbackPublicKey: "bank.pem" }, "bankCallbackPublicKey", "must be PEM text"],
    [
      {
        ...valid,
        bankCallbackPublicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
      },
      "bankCallbackPublicKey",
      "is not a public key that can be read",
    ],
    [
      { ...valid, bankCallbackPublicKey: rsa.privatePem },
      "bankCallbackPublicKey",
      "is a private key",
    ],
    [
      { ...valid, bankCallbackPublicKey: ec.publicPem },
      "bankCallbackPublicKey",
      "must be an RSA key",
    ],
    [{ ...valid, routeThrottles: [] }, "routeThrottles", "must be an object by route"],
    [
      { ...valid, routeThrottles: { "POST /order": { rateLimit: 1 } } },
      "routeThrottles",
      'has "POST /order", which is not a route of this API',
    ],
    [
      { ...valid, routeThrottles: { "POST /orders": 10 } },
      "routeThrottles.POST /orders",
      "must be an object: {rateLimit, burstLimit}",
    ],
    [
      { ...valid, routeThrottles: { "POST /orders": { rate: 10 } } },
      "routeThrottles.POST /orders",
      'has "rate": only rateLimit and burstLimit',
    ],
    [
      { ...valid, routeThrottles: { "GET /products": { rateLimit: 0 } } },
      "routeThrottles.GET /products.rateLimit",
      "must be a whole number from 1 to 10000",
    ],
    [
      { ...valid, routeThrottles: { "GET /orders/{orderId}": { burstLimit: 5001 } } },
      "routeThrottles.GET /orders/{orderId}.burstLimit",
      "must be a whole number from 1 to 5000",
    ],
    [
      { ...valid, reservedConcurrency: { callback: 2.5 } },
      "reservedConcurrency.callback",
      "must be a whole number",
    ],
    [
      { ...valid, reservedConcurrency: { merchant: 0 } },
      "reservedConcurrency.merchant",
      "must be a whole number from 1 to 10000",
    ],
    [
      { ...valid, routeThrottles: { "POST /merchant/orders/{id}/refund": { rateLimit: 1 } } },
      "routeThrottles",
      'has "POST /merchant/orders/{id}/refund", which is not a route of this API',
    ],
    [
      { ...valid, routeThrottles: { "GET /merchant/orders": { burstLimit: 0 } } },
      "routeThrottles.GET /merchant/orders.burstLimit",
      "must be a whole number from 1 to 5000",
    ],
    // The callback queries the first index (the bank order id's): never fewer than one.
    [{ ...valid, ordersIndexes: 0 }, "ordersIndexes", "must be a whole number from 1 to 6"],
    [{ ...valid, ordersIndexes: 7 }, "ordersIndexes", "must be a whole number from 1 to 6"],
    [{ ...valid, ordersIndexes: 2.5 }, "ordersIndexes", "must be a whole number from 1 to 6"],
    [
      { ...valid, ordersIndexes: "two" },
      "ordersIndexes",
      "byBankOrderId, byCreated, byStatus, byReference, byOpen, byCustomer",
    ],
    // A schedule runs at most once a minute; more than a day apart is no sweep.
    [{ ...valid, reconcileEveryMinutes: 0 }, "reconcileEveryMinutes", "from 1 to 1440"],
    [{ ...valid, reconcileEveryMinutes: 1441 }, "reconcileEveryMinutes", "from 1 to 1440"],
    [{ ...valid, reconcileEveryMinutes: "5m" }, "reconcileEveryMinutes", "whole number"],
    [{ ...valid, reconcileEveryMinutes: 2.5 }, "reconcileEveryMinutes", "whole number"],
    [{ ...valid, blockedCheckHours: 0 }, "blockedCheckHours", "from 1 to 168"],
    [{ ...valid, blockedCheckHours: 169 }, "blockedCheckHours", "from 1 to 168"],
    [{ ...valid, openOrderAlarmMinutes: 5 }, "openOrderAlarmMinutes", "from 10 to 43200"],
    [{ ...valid, ordersIndexes: true }, "ordersIndexes", "leave it unset for all"],
    [{ ...valid, orderWebhookUrl: "shop.example/hook" }, "orderWebhookUrl", "absolute https URL"],
    [
      { ...valid, orderWebhookUrl: "http://shop.example/hook" },
      "orderWebhookUrl",
      "must be an https URL (order events travel to the shop over the internet",
    ],
    // The deployed sender reaches only public https: no loopback exception, unlike the local stack.
    [
      { ...valid, orderWebhookUrl: "http://localhost:8080/hook" },
      "orderWebhookUrl",
      "must be an https URL",
    ],
    [
      { ...valid, orderWebhookUrl: "https://shop:pw@shop.example/hook" },
      "orderWebhookUrl",
      "must not carry a user name or password",
    ],
    [
      { ...valid, orderWebhookUrl: "https://shop.example/hook#x" },
      "orderWebhookUrl",
      "must not have a #fragment",
    ],
    [
      { ...valid, orderWebhookUrl: `https://shop.example/${"a".repeat(2040)}` },
      "orderWebhookUrl",
      "must be at most 2048 characters",
    ],
    [
      { ...valid, orderWebhookUrl: ["https://shop.example"] },
      "orderWebhookUrl",
      "must be a string",
    ],
  ])("%j fails, naming %s", (context, setting, problem) => {
    expect(() => read(context)).toThrow(`CDK context "${setting}" `);
    expect(() => read(context)).toThrow(problem);
  });

  it("the test environment without its key stops the synth, naming the setting", () => {
    expect(() => buildApp(new App({ context: { ...valid, bankEnvironment: "test" } }))).toThrow(
      'CDK context "bankCallbackPublicKey" is required',
    );
  });

  it("a bad setting stops the synth with that message", () => {
    expect(() => buildApp(new App({ context: { shopOrigins: "http://shop.example" } }))).toThrow(
      'CDK context "shopOrigins" has "http://shop.example": origins must be https (http only for loopback hosts: localhost, 127.0.0.0/8, [::1])',
    );
  });
});
