import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { App } from "aws-cdk-lib";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { Handler } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app.js";
import type { PaymentsStack } from "../../infra/payments-stack.js";
import { createDocumentClient } from "../../lib/dynamo/client.js";
import { lambdaContext } from "../../local/lambda-events.js";
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

function bundleOf(name: "listProducts" | "callback"): string {
  const fn = stack.functions[name].fn.node.defaultChild as CfnFunction;
  const { s3Key } = stack.resolve(fn.code) as { s3Key: string };
  return join(assembly, `asset.${s3Key.replace(/\.zip$/, "")}`, "index.mjs");
}

beforeAll(async () => {
  const app = new App({ context: { shopOrigins: ["https://shop.example"] } });
  ({ stack } = buildApp(app));
  assembly = app.synth().directory;
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

async function load(name: "listProducts" | "callback"): Promise<Handler> {
  const module = (await import(pathToFileURL(bundleOf(name)).href)) as { handler: Handler };
  return module.handler;
}

describe("the deployed bundles", () => {
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
});
