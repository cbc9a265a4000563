import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { App } from "aws-cdk-lib";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { Handler } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app.js";
import { FUNCTION_NAMES } from "../../infra/bundling.js";
import { PUBLIC_OPENAPI_JSON } from "../../infra/openapi/document.js";
import type { PaymentsStack } from "../../infra/payments-stack.js";
import { createDocumentClient } from "../../lib/dynamo/client.js";
import { lambdaContext } from "../../local/lambda-events.js";
import { buildLikeTheStack } from "../bench/bundle.js";
import { useDynamoTables } from "../support/dynamo-fixture.js";
import { apiEvent, callbackEvent } from "../support/functions.js";
import { VECTORS_DIR } from "../support/paths.js";

/**
 * What Lambda runs is the esbuild bundle (ESM, minified, AWS SDK inside), not the
 * TypeScript the other tests import. Two of the synthesized bundles, loaded as Lambda
 * loads them and invoked against DynamoDB Local.
 */

const tables = useDynamoTables();
let assembly = "";
let stack: PaymentsStack;

/** A stand-in for EventBridge's PutEvents (JSON 1.1), recording what the bundle sends. */
let eventBridge: Server | undefined;
const putEvents: Array<{ target: string; body: { Entries: Array<Record<string, unknown>> } }> = [];

function bundleOf(name: "listProducts" | "callback" | "orderEvents"): string {
  const fn = (name === "orderEvents" ? stack.orderEvents.function.fn : stack.functions[name].fn)
    .node.defaultChild as CfnFunction;
  const { s3Key } = stack.resolve(fn.code) as { s3Key: string };
  return join(assembly, `asset.${s3Key.replace(/\.zip$/, "")}`, "index.mjs");
}

beforeAll(async () => {
  const app = new App({ context: { shopOrigins: ["https://shop.example"] } });
  ({ stack } = buildApp(app));
  assembly = app.synth().directory;
  eventBridge = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      putEvents.push({ target: String(req.headers["x-amz-target"]), body });
      const entries = body.Entries as unknown[];
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end(
        JSON.stringify({
          FailedEntryCount: 0,
          Entries: entries.map((_, i) => ({ EventId: `event-${i}` })),
        }),
      );
    });
  });
  const listening = eventBridge;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    ORDER_EVENT_BUS_NAME: "the-bus",
    AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
  Object.assign(process.env, {
    ORDERS_TABLE: tables().orders,
    BANK_TOKEN_TABLE: tables().bankToken,
    CATALOG_TABLE: tables().catalog,
    DYNAMODB_ENDPOINT: tables().endpoint,
    BOG_CREDENTIALS_SECRET_ID: "never-read-in-this-test",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    AWS_REGION: "eu-central-1",
  });
  const doc = createDocumentClient(tables().endpoint);
  await doc.send(
    new PutCommand({
      TableName: tables().catalog,
      Item: { productId: "sku-cup", description: "Espresso cup", unitPrice: 1250, currency: "GEL" },
    }),
  );
  doc.destroy();
}, 120_000);

afterAll(async () => {
  eventBridge?.closeAllConnections();
  await new Promise<void>((resolve) =>
    eventBridge ? eventBridge.close(() => resolve()) : resolve(),
  );
});

async function load(name: "listProducts" | "callback" | "orderEvents"): Promise<Handler> {
  const module = (await import(pathToFileURL(bundleOf(name)).href)) as { handler: Handler };
  return module.handler;
}

describe("the deployed bundles", () => {
  it("are the bytes the bench builds from infra/bundling.ts (what npm run bench measures is what ships)", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-bundle-"));
    try {
      for (const name of ["listProducts", "callback"] as const) {
        const folder = name === "listProducts" ? "list-products" : "callback";
        const built = await buildLikeTheStack(`functions/${folder}/index.ts`, join(out, folder));
        expect(readFileSync(built.file).equals(readFileSync(bundleOf(name)))).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("carry no credential source but the environment: no SSO, INI, process, web-identity or STS provider", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-bundle-"));
    try {
      for (const folder of FUNCTION_NAMES) {
        const { inputs } = await buildLikeTheStack(
          `functions/${folder}/index.ts`,
          join(out, folder),
        );
        expect(inputs).toContain("lib/aws/lambda-credentials.ts");
        expect(
          inputs.filter((i) =>
            /credential-provider-(node|sso|ini|process|web-identity)|nested-clients|client-sts/.test(
              i,
            ),
          ),
        ).toEqual([]);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("list-products runs as bundled", async () => {
    const handler = await load("listProducts");
    const result = await handler(
      apiEvent({ method: "GET", path: "/products" }),
      lambdaContext("list-products"),
      () => undefined,
    );
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      products: [
        {
          productId: "sku-cup",
          description: "Espresso cup",
          unitPrice: "12.50",
          unitDiscount: null,
          currency: "GEL",
          image: null,
        },
      ],
    });
  });

  it("list-products serves GET /openapi.json as bundled: the generated public JSON, bundled in", async () => {
    const handler = await load("listProducts");
    const result = await handler(
      apiEvent({ method: "GET", path: "/openapi.json" }),
      lambdaContext("list-products"),
      () => undefined,
    );
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual(JSON.parse(readFileSync(PUBLIC_OPENAPI_JSON, "utf8")));
  });

  it("callback runs as bundled: a genuine bank callback verifies with the bank's key and changes nothing", async () => {
    const handler = await load("callback");
    const raw = readFileSync(join(VECTORS_DIR, "callback-2.body.json"));
    const signature = readFileSync(join(VECTORS_DIR, "callback-2.signature.txt"), "utf8").trim();
    const ok = await handler(
      callbackEvent(raw, { "callback-signature": signature }),
      lambdaContext("callback"),
      () => undefined,
    );
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ received: true, outcome: "unknownOrder" });
    const forged = await handler(
      callbackEvent(Buffer.from(raw.toString("utf8").replace("0.01", "1.00")), {
        "callback-signature": signature,
      }),
      lambdaContext("callback"),
      () => undefined,
    );
    expect(forged.statusCode).toBe(401);
  });

  it("order-events runs as bundled: a stream record of a paid order becomes one PutEvents entry on the bus", async () => {
    const handler = await load("orderEvents");
    const image = (status: string, version: number) =>
      marshall({
        pk: "order#3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab",
        orderId: "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab",
        status,
        version,
        amount: 2500,
        currency: "GEL",
        updatedAt: "2026-11-26T20:03:11Z",
        history: Array.from({ length: version }, () => ({})),
      });
    const result = await handler(
      {
        Records: [
          {
            eventName: "MODIFY",
            dynamodb: {
              SequenceNumber: "100",
              OldImage: image("created", 2),
              NewImage: image("completed", 3),
            },
          },
        ],
      },
      lambdaContext("order-events"),
      () => undefined,
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(putEvents).toHaveLength(1);
    expect(putEvents[0]?.target).toBe("AWSEvents.PutEvents");
    const entry = putEvents[0]?.body.Entries[0] as Record<string, unknown>;
    expect(entry).toMatchObject({
      EventBusName: "the-bus",
      Source: "bog-payments",
      DetailType: "Order Status Changed",
    });
    expect(JSON.parse(entry.Detail as string)).toMatchObject({
      status: "completed",
      previousStatus: "created",
      amount: "25.00",
      version: 3,
    });
  });
});
