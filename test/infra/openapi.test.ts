import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import {
  isMerchantOperation,
  isObject,
  operations,
  PUBLIC_OPENAPI_JSON,
  publicJsonText,
  publicPart,
  readOpenApi,
} from "../../infra/openapi/document.js";
import { lintOpenApi } from "../../infra/openapi/lint.js";
import { API_ERROR_CODES } from "../../lib/http/api-error.js";
import { ALL_ROUTE_KEYS, MERCHANT_ROUTE_KEYS, PUBLIC_ROUTE_KEYS } from "../../lib/http/routes.js";
import { checkAnswer } from "../support/openapi-check.js";
import { REPO_ROOT } from "../support/paths.js";

/**
 * openapi.yaml is held to the code: a valid OpenAPI 3.1 document whose examples fit
 * its schemas, with exactly the routes the stack and the local adapter have, exactly
 * the error codes the code can answer, and generated files (the served public JSON,
 * the client's types) that are what it gives. Every answer the function and
 * local-stack tests get is checked against it in test/support (openapi-check.ts).
 */

const doc = readOpenApi();
const routeKeys = operations(doc).map((op) => op.routeKey);
const sorted = (keys: readonly string[]) => [...keys].sort();

describe("openapi.yaml", () => {
  it("is valid OpenAPI 3.1, every $ref resolves, every example fits its schema", async () => {
    expect(await lintOpenApi()).toEqual([]);
  });

  it("the lint fails on an example that does not fit, and on what is not OpenAPI", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-"));
    const text = readFileSync(join(REPO_ROOT, "openapi.yaml"), "utf8");
    const badExample = join(dir, "bad-example.yaml");
    writeFileSync(badExample, text.replace('unitPrice: "24.00"', "unitPrice: 24"));
    expect((await lintOpenApi(badExample)).join("\n")).toContain("unitPrice must be string");
    const notOpenApi = join(dir, "not-openapi.yaml");
    writeFileSync(notOpenApi, text.replace("openapi: 3.1.0", "openapi: 3.1.0\nrandom: 1"));
    expect((await lintOpenApi(notOpenApi)).join("\n")).toContain("not a valid OpenAPI document");
  });

  it("has exactly the routes of lib/http/routes.ts (the stack's and npm start's), in both directions", () => {
    expect(sorted(routeKeys)).toEqual(sorted(ALL_ROUTE_KEYS));
  });

  it("the merchant routes, and only they, require the SigV4 scheme, an API Gateway awsSigv4 one", () => {
    const merchant = operations(doc).filter((op) => isMerchantOperation(op.operation));
    expect(sorted(merchant.map((op) => op.routeKey))).toEqual(sorted(MERCHANT_ROUTE_KEYS));
    const schemes = (doc.components as { securitySchemes: Record<string, unknown> })
      .securitySchemes;
    expect(schemes.awsSigv4).toMatchObject({
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "awsSigv4",
    });
  });

  it("the bank's callback, the order events and the card events are its webhooks", () => {
    expect(Object.keys(doc.webhooks as object).sort()).toEqual([
      "bankCallback",
      "cardDeleted",
      "cardSaved",
      "orderStatusChanged",
    ]);
  });

  it("lists exactly the error codes of the code (lib/http/api-error.ts)", () => {
    const schemas = (doc.components as { schemas: Record<string, { enum?: string[] }> }).schemas;
    expect(sorted(schemas.ErrorCode?.enum ?? [])).toEqual(sorted(API_ERROR_CODES));
  });

  it("every error code is one the code answers somewhere (lib/, functions/)", () => {
    const LISTS = ["lib/http/api-error.ts", "lib/domain-error.ts"];
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return sources(path);
        // The types generated from openapi.yaml name every code too.
        if (!path.endsWith(".ts") || path.endsWith("api-types.ts")) return [];
        const text = readFileSync(path, "utf8");
        // The lists of codes name every code: only what follows them counts.
        return LISTS.some((list) => path.endsWith(list))
          ? [text.split("] as const")[1] ?? ""]
          : [text];
      });
    const code = [
      ...sources(join(REPO_ROOT, "lib")),
      ...sources(join(REPO_ROOT, "functions")),
    ].join("\n");
    const unused = API_ERROR_CODES.filter((c) => !code.includes(`"${c}"`));
    expect(unused).toEqual([]);
  });
});

describe("the public part (GET /openapi.json)", () => {
  const part = publicPart(doc);

  it("is the committed lib/openapi/public-openapi.json (npm run openapi:build)", () => {
    expect(readFileSync(PUBLIC_OPENAPI_JSON, "utf8")).toBe(publicJsonText(doc));
  });

  it("has the public routes and no merchant route, security scheme or webhook", () => {
    expect(sorted(operations(part).map((op) => op.routeKey))).toEqual(sorted(PUBLIC_ROUTE_KEYS));
    const text = JSON.stringify(part);
    expect(text).not.toContain("/merchant");
    expect(text).not.toContain("awsSigv4");
    expect(text).not.toContain("securitySchemes");
    expect(part.webhooks).toBeUndefined();
    expect(isObject(part.components) && Object.keys(part.components.schemas ?? {})).not.toContain(
      "MerchantOrderRequest",
    );
  });

  it("is valid OpenAPI 3.1 by itself (every $ref it keeps resolves inside it)", async () => {
    const result = await new Validator().validate(structuredClone(part));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});

describe("the typed client", () => {
  it("the committed types are what openapi.yaml gives (npm run openapi:types)", () => {
    const run = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, "node_modules/openapi-typescript/bin/cli.js"),
        "openapi.yaml",
        "--output",
        "lib/openapi/api-types.ts",
        "--default-non-nullable=false",
        "--check",
      ],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(run.stderr + run.stdout).not.toContain("not up-to-date");
    expect(run.status).toBe(0);
  });

  it("docs/api.md quotes the example client (local/frontend-client.ts) verbatim", () => {
    const readme = readFileSync(join(REPO_ROOT, "docs/api.md"), "utf8");
    const example = readFileSync(join(REPO_ROOT, "local/frontend-client.ts"), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});

describe("the answer check (test/support/openapi-check.ts) refuses", () => {
  const ok = {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: JSON.stringify({
      orderId: "9734dea5-fa97-4f5f-86a7-20d67f16dc24",
      status: "completed",
      amount: "25.00",
      currency: "GEL",
      paymentMethod: "card",
      rejectReason: null,
      updatedAt: "2026-11-28T10:06:24Z",
    }),
  };
  const route = { routeKey: "GET /orders/{orderId}" };

  it("nothing that fits", () => {
    expect(() => checkAnswer(route, ok)).not.toThrow();
  });
  it("a status the operation does not document", () => {
    expect(() => checkAnswer(route, { ...ok, status: 409 })).toThrow(/409 is not documented/);
  });
  it("a route the document lacks", () => {
    expect(() => checkAnswer({ routeKey: "GET /orders" }, ok)).toThrow(/not in openapi.yaml/);
  });
  it("a required header missing, or with another value", () => {
    expect(() =>
      checkAnswer(route, { ...ok, headers: { "content-type": "application/json" } }),
    ).toThrow(/Cache-Control is missing/);
    expect(() =>
      checkAnswer(route, { ...ok, headers: { ...ok.headers, "cache-control": "max-age=60" } }),
    ).toThrow(/header Cache-Control/);
  });
  it("a header that matters but is not documented there", () => {
    expect(() =>
      checkAnswer(route, { ...ok, headers: { ...ok.headers, "retry-after": "2" } }),
    ).toThrow(/retry-after is sent but not documented/);
  });
  it("a body that does not fit, or another media type", () => {
    expect(() => checkAnswer(route, { ...ok, body: ok.body.replace('"25.00"', "25") })).toThrow(
      /does not fit/,
    );
    expect(() =>
      checkAnswer(route, { ...ok, body: ok.body.replace('"completed"', '"paid"') }),
    ).toThrow(/does not fit/);
    expect(() =>
      checkAnswer(route, { ...ok, headers: { ...ok.headers, "content-type": "text/html" } }),
    ).toThrow(/Content-Type/);
  });
});
