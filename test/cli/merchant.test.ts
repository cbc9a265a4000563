import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../../cli/merchant-args.js";
import { runMerchant } from "../../cli/merchant-command.js";
import {
  formatOperation,
  formatOrder,
  formatOrderList,
  printable,
} from "../../cli/merchant-format.js";
import { callApi, requestFor } from "../../cli/merchant-http.js";
import { regionFromHost } from "../../cli/merchant-target.js";
import { freePort } from "../../local/ports.js";
import { type LocalStack, startLocalStack } from "../../local/stack.js";
import { runScript } from "../support/run-script.js";

/**
 * `npm run merchant` (docs/commands.md): its command line, its tables, its Idempotency-Keys,
 * its SigV4 signing and its exit codes, against a small HTTP server of this file that
 * records each request and answers what a test tells it to.
 */

const ORDER = "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}
type Answer = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
};

let server: Server | undefined;
let port = 0;
let requests: Recorded[] = [];
let answer: (request: Recorded) => Answer = () => ({ status: 200, body: {} });

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const { status, body, headers, delayMs = 0 } = answer(recorded);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(typeof body === "string" ? body : JSON.stringify(body ?? {}));
      }, delayMs);
    });
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  port = (listening.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});
beforeEach(() => {
  requests = [];
  answer = () => ({ status: 200, body: {} });
});

/** The CLI in-process, against the test server as `--local`'s PORT. */
async function run(args: string[], env: NodeJS.ProcessEnv = { PORT: String(port) }) {
  let stdout = "";
  let stderr = "";
  const code = await runMerchant(args, {
    env,
    stdout: (text) => {
      stdout += `${text}\n`;
    },
    stderr: (text) => {
      stderr += `${text}\n`;
    },
  });
  return { code, stdout, stderr };
}

/** The CLI as `npm run merchant` runs it: its own process, under tsx. */
const spawnCli = (args: string[], env: NodeJS.ProcessEnv) =>
  runScript("cli/merchant.ts", args, env);

/** An environment with nothing of this machine's AWS setup in it. */
function isolatedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith("AWS_") && key !== "MERCHANT_API_URL" && key !== "PORT") env[key] = value;
  return {
    ...env,
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

const contractError = (status: number, code: string, message: string, headers = {}): Answer => ({
  status,
  body: { error: { code, message } },
  headers,
});

describe("merchant CLI: the command line", () => {
  it("reads each command into what to ask", () => {
    expect(
      parseArgs([
        "orders",
        "list",
        "--status",
        "completed",
        "--from=2026-11-01",
        "--to",
        "2026-11-26T20:00:00+04:00",
        "--reference",
        "shop 1042",
        "--limit",
        "10",
        "--cursor",
        "abc",
        "--local",
      ]),
    ).toEqual({
      help: false,
      command: {
        name: "orders list",
        query: {
          status: "completed",
          from: "2026-11-01T00:00:00Z",
          to: "2026-11-26T16:00:00Z",
          reference: "shop 1042",
          limit: "10",
          cursor: "abc",
        },
      },
      target: { kind: "local" },
      json: false,
      idempotencyKey: undefined,
    });
    expect(parseArgs(["orders", "show", ORDER.toUpperCase(), "--json", "--refresh"])).toEqual({
      help: false,
      command: { name: "orders show", orderId: ORDER, refresh: true },
      target: { kind: "stack", stack: "BogPayments" },
      json: true,
      idempotencyKey: undefined,
    });
    expect(
      parseArgs(["--stack", "Shop", "refund", ORDER, "--amount", "5", "--reason", "r"]),
    ).toEqual(
      expect.objectContaining({
        command: { name: "refund", orderId: ORDER, body: { amount: "5.00", reason: "r" } },
        target: { kind: "stack", stack: "Shop" },
      }),
    );
    expect(parseArgs(["capture", ORDER, "--amount", "12.5", "--description", "d"])).toEqual(
      expect.objectContaining({
        command: { name: "capture", orderId: ORDER, body: { amount: "12.50", description: "d" } },
      }),
    );
    expect(parseArgs(["void", ORDER])).toEqual(
      expect.objectContaining({ command: { name: "void", orderId: ORDER, body: {} } }),
    );
    const key = "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    expect(parseArgs(["void", ORDER, "--idempotency-key", key])).toEqual(
      expect.objectContaining({ idempotencyKey: key }),
    );
    expect(parseArgs(["--help"])).toEqual({ help: true });
  });

  it.each([
    [[], "no command given"],
    [["order", "list"], "unknown command: order"],
    [["orders"], "orders needs list or show"],
    [["orders", "delete"], "unknown command: orders delete"],
    [["orders", "list", "--colour", "red"], "unknown option: --colour"],
    [["orders", "list", "-x"], "unknown option: -x"],
    [["orders", "list", "extra"], "unexpected argument: extra"],
    [["orders", "list", "--status", "paid"], "--status must be one of"],
    [["orders", "list", "--limit", "0"], "--limit must be a whole number from 1 to 100"],
    [["orders", "list", "--limit", "101"], "--limit must be a whole number"],
    [["orders", "list", "--limit", "2.5"], "--limit must be a whole number"],
    [["orders", "list", "--from", "yesterday"], "--from must be an ISO 8601 date"],
    [["orders", "list", "--to", "2026-11-26T20:00:00"], "--to must be an ISO 8601 date"],
    [["orders", "list", "--from", "2026-11-27", "--to", "2026-11-26"], "--from is after --to"],
    [["orders", "list", "--reference", "r".repeat(65)], "--reference is at most 64"],
    [["orders", "list", "--amount", "5"], "orders list does not take --amount"],
    [["orders", "show"], "orders show needs an order id"],
    [["orders", "show", "not-a-uuid"], "not an order id (a UUID): not-a-uuid"],
    [["orders", "show", "../../products"], "not an order id"],
    [
      ["refund", ORDER, "--amount", "5,00"],
      '--amount must be a positive amount with at most two decimals, like 5.00 (got "5,00")',
    ],
    [["refund", ORDER, "--amount", "5.001"], "--amount must be a positive amount"],
    [["refund", ORDER, "--amount", "-5"], "--amount must be a positive amount"],
    [["refund", ORDER, "--amount", "0"], "--amount must be a positive amount"],
    [["refund", ORDER, "--amount", "1e3"], "--amount must be a positive amount"],
    [["refund", ORDER, "--amount", "1000000000.00"], "--amount must be a positive amount"],
    [["refund", ORDER, "--amount"], "--amount needs a value"],
    [["refund", ORDER, "--amount", "--json"], "--amount needs a value"],
    [["refund", ORDER, "--description", "d"], "refund does not take --description"],
    [["void", ORDER, "--amount", "5"], "void does not take --amount"],
    [["capture", ORDER, "--reason", "r"], "capture does not take --reason"],
    [["refund", ORDER, ORDER], `unexpected argument: ${ORDER}`],
    [["refund", ORDER, "--amount", "1", "--amount", "2"], "--amount is given more than once"],
    [["refund", ORDER, "--json=yes"], "--json takes no value"],
    [["refund", ORDER, "--idempotency-key", "k1"], "--idempotency-key must be a UUID v4"],
    [
      ["orders", "list", "--idempotency-key", "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"],
      "orders list does not take --idempotency-key",
    ],
    [["void", ORDER, "--local", "--stack", "S"], "--local and --stack exclude each other"],
    [["void", ORDER, "--stack", "no_such;stack"], "not a CloudFormation stack name"],
  ])("refuses %j: %s", (args, message) => {
    expect(() => parseArgs(args)).toThrow(UsageError);
    expect(() => parseArgs(args)).toThrow(message);
  });

  it("bad usage is exit code 2, with the reason on stderr, and nothing is sent", async () => {
    const result = await run(["refund", ORDER, "--amount", "5,00", "--local"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      '--amount must be a positive amount with at most two decimals, like 5.00 (got "5,00")',
    );
    expect(result.stderr).toContain("--help");
    expect(requests).toEqual([]);

    expect((await run(["frobnicate"])).code).toBe(2);
    expect((await run([])).stderr).toContain("usage: npm run merchant -- COMMAND");
    expect((await run(["orders", "list", "--local"], { PORT: "http" })).code).toBe(2);
    expect((await run(["orders", "list", "--local"], { PORT: "0" })).code).toBe(2);
  });

  it("--help prints the usage on stdout, exit code 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("refund ID [--amount 5.00]");
    expect(result.stdout).toContain("exit codes: 0 done, 1 the API refused (4xx), 2 bad usage, 3");
  });
});

describe("merchant CLI: requests", () => {
  it("orders list asks GET /merchant/orders with the filters, unsigned with --local", async () => {
    answer = () => ({ status: 200, body: { orders: [], nextCursor: null } });
    const result = await run([
      "orders",
      "list",
      "--local",
      "--status",
      "refunded_partially",
      "--reference",
      "shop order/1042+x",
      "--limit",
      "5",
    ]);
    expect(result).toEqual({ code: 0, stdout: "No orders.\n", stderr: "" });
    const [request] = requests;
    expect(request?.method).toBe("GET");
    const url = new URL(request?.url ?? "", "http://x");
    expect(url.pathname).toBe("/merchant/orders");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: "refunded_partially",
      reference: "shop order/1042+x",
      limit: "5",
    });
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers["idempotency-key"]).toBeUndefined();
  });

  it("orders show asks GET /merchant/orders/{id}, with ?refresh=true on --refresh", async () => {
    answer = () => ({ status: 200, body: { orderId: ORDER } });
    expect((await run(["orders", "show", ORDER, "--local"])).code).toBe(0);
    expect((await run(["orders", "show", ORDER, "--local", "--refresh"])).code).toBe(0);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /merchant/orders/${ORDER}`,
      `GET /merchant/orders/${ORDER}?refresh=true`,
    ]);
  });

  it("refund, capture and void POST their JSON bodies", async () => {
    answer = (r) => ({
      status: 202,
      body: {
        operationId: "op-1",
        kind: r.url.split("/").pop(),
        amount: "5.00",
        state: "requested",
      },
    });
    await run(["refund", ORDER, "--local", "--amount", "5", "--reason", "customer asked"]);
    await run(["capture", ORDER, "--local", "--description", "ship it"]);
    await run(["void", ORDER, "--local"]);
    expect(
      requests.map((r) => [r.method, r.url, r.headers["content-type"], JSON.parse(r.body)]),
    ).toEqual([
      [
        "POST",
        `/merchant/orders/${ORDER}/refund`,
        "application/json",
        { amount: "5.00", reason: "customer asked" },
      ],
      ["POST", `/merchant/orders/${ORDER}/capture`, "application/json", { description: "ship it" }],
      ["POST", `/merchant/orders/${ORDER}/void`, "application/json", {}],
    ]);
  });

  it("every POST sends a new Idempotency-Key (UUID v4) per invocation, unless one is given", async () => {
    answer = () => ({
      status: 202,
      body: { operationId: "op", kind: "refund", amount: "1.00", state: "requested" },
    });
    await run(["refund", ORDER, "--local"]);
    await run(["refund", ORDER, "--local"]);
    const given = "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    await run(["refund", ORDER, "--local", "--idempotency-key", given]);
    await run(["refund", ORDER, "--local", "--idempotency-key", given]);
    const keys = requests.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toMatch(UUID_V4);
    expect(keys[1]).toMatch(UUID_V4);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.slice(2)).toEqual([given, given]);
  });

  it("--json prints the API's JSON as it came", async () => {
    const text = '{"orders":[{"orderId":"a","amount":"25.00"}],"nextCursor":"n1"}';
    answer = () => ({ status: 200, body: text });
    const result = await run(["orders", "list", "--local", "--json"]);
    expect(result).toEqual({ code: 0, stdout: `${text}\n`, stderr: "" });
  });
});

describe("merchant CLI: tables", () => {
  it("a list: one line per order, amounts and times as given, and the next page", () => {
    expect(
      formatOrderList({
        orders: [
          {
            orderId: ORDER,
            reference: "shop-1042",
            status: "refunded_partially",
            amount: "25.00",
            currency: "GEL",
            paymentMethod: "card",
            createdAt: "2026-11-26T20:00:00Z",
            updatedAt: "2026-11-26T20:03:11Z",
          },
          {
            orderId: "0a1b2c3d-0000-4000-8000-000000000000",
            reference: null,
            status: "pending",
            amount: "1250.50",
            currency: "USD",
            paymentMethod: null,
            createdAt: "2026-11-26T19:00:00Z",
            updatedAt: "2026-11-26T19:00:00Z",
          },
        ],
        nextCursor: "eyJrIjoxfQ",
      }),
    ).toBe(
      [
        "ORDER ID                              REFERENCE  STATUS              AMOUNT       METHOD  CREATED               UPDATED",
        `${ORDER}  shop-1042  refunded_partially  25.00 GEL    card    2026-11-26T20:00:00Z  2026-11-26T20:03:11Z`,
        "0a1b2c3d-0000-4000-8000-000000000000  -          pending             1250.50 USD  -       2026-11-26T19:00:00Z  2026-11-26T19:00:00Z",
        "",
        "More orders: add --cursor eyJrIjoxfQ",
      ].join("\n"),
    );
    expect(formatOrderList({ orders: [], nextCursor: null })).toBe("No orders.");
  });

  it("an order: its fields, items, history and operations", () => {
    const text = formatOrder({
      orderId: ORDER,
      reference: "shop-1042",
      status: "refunded_partially",
      amount: "25.00",
      currency: "GEL",
      paymentMethod: "card",
      createdAt: "2026-11-26T20:00:00Z",
      updatedAt: "2026-11-26T20:10:00Z",
      items: [
        {
          productId: "sku-cup",
          description: "Espresso cup",
          quantity: 2,
          unitPrice: "12.50",
          lineTotal: "25.00",
        },
      ],
      delivery: "3.00",
      capture: "automatic",
      capturedAmount: null,
      refundedAmount: "5.00",
      rejectReason: null,
      bankOrderId: "bank-1",
      expiresAt: "2026-11-26T20:15:00Z",
      metadata: { cart: "c-9" },
      anomalies: [],
      history: [
        { at: "2026-11-26T20:00:00Z", status: "created", source: "api" },
        { at: "2026-11-26T20:03:11Z", status: "completed", source: "callback" },
        { at: "2026-11-26T20:10:00Z", status: "refunded_partially", source: "callback" },
      ],
      operations: [
        {
          operationId: "op-1",
          kind: "refund",
          amount: "5.00",
          state: "completed",
          source: "merchant",
          requestedAt: "2026-11-26T20:09:00Z",
          updatedAt: "2026-11-26T20:10:00Z",
          note: "cup broken",
          bankMessage: null,
        },
        {
          operationId: "op-2",
          kind: "refund",
          amount: null,
          state: "rejected",
          source: "merchant",
          requestedAt: "2026-11-26T20:11:00Z",
          updatedAt: "2026-11-26T20:11:01Z",
          note: null,
          bankMessage: "Refund is not allowed",
        },
      ],
    });
    expect(text).toBe(
      [
        `Order           ${ORDER}`,
        "Reference       shop-1042",
        "Status          refunded_partially",
        "Amount          25.00 GEL",
        "Captured        -",
        "Refunded        5.00 GEL",
        "Payment method  card",
        "Capture         automatic",
        "Reject reason   -",
        "Bank order id   bank-1",
        "Created         2026-11-26T20:00:00Z",
        "Updated         2026-11-26T20:10:00Z",
        "Expires         2026-11-26T20:15:00Z",
        "Delivery        3.00 GEL",
        "",
        "Items",
        "PRODUCT  DESCRIPTION   QUANTITY  UNIT PRICE  LINE TOTAL",
        "sku-cup  Espresso cup  2         12.50       25.00",
        "",
        "Metadata",
        "KEY   VALUE",
        "cart  c-9",
        "",
        "History",
        "AT                    STATUS              SOURCE",
        "2026-11-26T20:00:00Z  created             api",
        "2026-11-26T20:03:11Z  completed           callback",
        "2026-11-26T20:10:00Z  refunded_partially  callback",
        "",
        "Operations",
        "OPERATION ID  KIND    AMOUNT  STATE      SOURCE    REQUESTED             MORE",
        "op-1          refund  5.00    completed  merchant  2026-11-26T20:09:00Z  updatedAt=2026-11-26T20:10:00Z note=cup broken",
        "op-2          refund  all     rejected   merchant  2026-11-26T20:11:00Z  updatedAt=2026-11-26T20:11:01Z bankMessage=Refund is not allowed",
      ].join("\n"),
    );
  });

  it("an order with nothing but an id still prints, every field a dash", () => {
    const text = formatOrder({ orderId: ORDER });
    expect(text).toContain("Status          -");
    expect(text).toContain("History: none");
    expect(text).toContain("Operations: none");
  });

  it("an operation, and how to follow it", () => {
    expect(
      formatOperation(
        { operationId: "op-7", kind: "capture", amount: "20.00", state: "requested" },
        ORDER,
      ),
    ).toBe(
      [
        "Operation  op-7",
        "Kind       capture",
        "Amount     20.00",
        "State      requested",
        "",
        `The bank confirms it later; see it with: npm run merchant -- orders show ${ORDER}`,
      ].join("\n"),
    );
  });

  it("text from the API never drives the terminal: control characters are shown, not obeyed", () => {
    expect(printable("shop\u001b[2J\r\nx\u009b")).toBe("shop\\u001b[2J\\u000d\\u000ax\\u009b");
    const list = formatOrderList({
      orders: [{ orderId: ORDER, reference: "\u001b]0;pwned\u0007" }],
    });
    expect(list).not.toContain("\u001b");
    expect(list).toContain("\\u001b]0;pwned\\u0007");
  });
});

describe("merchant CLI: exit codes", () => {
  it.each([
    [
      ["refund", ORDER, "--amount", "30.00"],
      contractError(409, "amount_exceeds_balance", "at most 20.00 is left to refund"),
      [
        "(409 amount_exceeds_balance): at most 20.00 is left to refund",
        "more than is left to refund or capture",
      ],
    ],
    [
      ["capture", ORDER],
      contractError(409, "invalid_state", "the order is completed"),
      ["(409 invalid_state): the order is completed", "capture and void need blocked"],
    ],
    [
      ["refund", ORDER, "--amount", "1.00"],
      contractError(409, "partial_not_allowed", "bog_p2p is refunded only in full"),
      ["(409 partial_not_allowed)", "run refund without --amount"],
    ],
    [
      ["orders", "show", ORDER],
      contractError(404, "order_not_found", "no such order"),
      ["(404 order_not_found): no such order", "No order has this id"],
    ],
    [
      ["void", ORDER],
      contractError(409, "idempotency_conflict", "key reused with another body"),
      ["(409 idempotency_conflict)", "use a new key"],
    ],
    [
      ["void", ORDER],
      contractError(409, "bank_rejected", "Order is not in blocked status"),
      ["(409 bank_rejected): Order is not in blocked status", "The bank refused the operation"],
    ],
  ])(
    "%j refused as %j: exit code 1, the code and a clear message on stderr",
    async (args, refusal, messages) => {
      answer = () => refusal;
      const result = await run([...args, "--local"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^merchant: refused \(/);
      for (const message of messages) expect(result.stderr).toContain(message);
    },
  );

  it("a refusal's details are listed, and --json also prints the error body", async () => {
    const body = {
      error: {
        code: "invalid_request",
        message: "the request is invalid",
        details: [{ path: "amount", message: "must be a decimal string" }],
      },
    };
    answer = () => ({ status: 400, body });
    const result = await run(["refund", ORDER, "--local", "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(body);
    expect(result.stderr).toContain(
      "(400 invalid_request): the request is invalid\n  amount: must be a decimal string",
    );
  });

  it.each([
    [
      contractError(503, "bank_unavailable", "the bank did not answer", { "retry-after": "5" }),
      ["(503 bank_unavailable)", "Retry after 5 s."],
    ],
    [contractError(502, "bank_unavailable", "the bank failed"), ["(502 bank_unavailable)"]],
    [
      contractError(503, "service_unavailable", "storage did not answer"),
      ["(503 service_unavailable)", "nothing was half-done"],
    ],
    [contractError(500, "internal_error", "internal error"), ["(500 internal_error)"]],
    [{ status: 502, body: "<html>Bad Gateway</html>" }, ["(502): 502 Bad Gateway"]],
    [{ status: 200, body: "not json" }, ["answered 200 with a body that is not JSON"]],
  ])(
    "a failure of the service (%j) is exit code 3, naming the key to retry with",
    async (failure, messages) => {
      answer = () => failure;
      const key = "9b2f3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
      const result = await run(["refund", ORDER, "--local", "--idempotency-key", key]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^merchant: failed/);
      for (const message of messages) expect(result.stderr).toContain(message);
      expect(result.stderr).toContain(`run the same command with --idempotency-key ${key}`);
    },
  );

  it("an unreachable API is exit code 3", async () => {
    const closed = await freePort();
    const result = await run(["orders", "list", "--local"], { PORT: String(closed) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `merchant: failed: could not reach http://127.0.0.1:${closed}: ECONNREFUSED`,
    );
  });

  it("no answer in time is a failure (exit code 3), not a refusal", async () => {
    answer = () => ({ status: 200, body: {}, delayMs: 2_000 });
    const outcome = await callApi(
      new URL(`http://127.0.0.1:${port}`),
      requestFor({ name: "void", orderId: ORDER, body: {} }, ORDER),
      { timeoutMs: 200 },
    );
    expect(outcome).toMatchObject({
      kind: "failed",
      error: { message: `no answer from http://127.0.0.1:${port} within 0.2 s` },
    });
  });

  it("the process itself exits with these codes", async () => {
    const env = isolatedEnv({ PORT: String(port) });
    answer = (r) =>
      r.url.endsWith("/refund")
        ? contractError(409, "amount_exceeds_balance", "too much")
        : r.url.endsWith("/void")
          ? contractError(503, "service_unavailable", "later")
          : { status: 200, body: { orders: [], nextCursor: null } };
    const [ok, refused, usage, failed] = await Promise.all([
      spawnCli(["orders", "list", "--local"], env),
      spawnCli(["refund", ORDER, "--local", "--amount", "99"], env),
      spawnCli(["refund", ORDER, "--local", "--amount", "5,00"], env),
      spawnCli(["void", ORDER, "--local"], env),
    ]);
    expect([ok.code, refused.code, usage.code, failed.code]).toEqual([0, 1, 2, 3]);
    expect(ok.stdout).toBe("No orders.\n");
    expect(refused.stderr).toContain("amount_exceeds_balance");
  });
});

describe("merchant CLI: the deployed stack, signed SigV4", () => {
  const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const sessionToken = "FQoGZXIvYXdzEXAMPLESESSIONTOKENdoNotPrint";
  const signedEnv = () =>
    isolatedEnv({
      MERCHANT_API_URL: `http://127.0.0.1:${port}`,
      AWS_REGION: "eu-central-1",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_SESSION_TOKEN: sessionToken,
    });

  it("the API's region comes from its execute-api host", () => {
    expect(regionFromHost("a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com")).toBe(
      "eu-central-1",
    );
    expect(regionFromHost("pay.example.com")).toBeUndefined();
  });

  it("signs with the SDK's credential chain for execute-api in the region, verifiably, and prints no secret", async () => {
    answer = () => ({
      status: 202,
      body: { operationId: "op-1", kind: "refund", amount: "5.00", state: "requested" },
    });
    const result = await spawnCli(
      ["refund", ORDER, "--amount", "5", "--reason", "a b+c/d"],
      signedEnv(),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Operation  op-1");

    const [request] = requests;
    if (!request) throw new Error("no request arrived");
    const authorization = request.headers.authorization as string;
    const date = request.headers["x-amz-date"] as string;
    expect(authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${date.slice(0, 8)}/eu-central-1/execute-api/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`,
      ),
    );
    const signedHeaders = (/SignedHeaders=([^,]+)/.exec(authorization)?.[1] ?? "").split(";");
    expect(signedHeaders).toEqual(
      expect.arrayContaining([
        "host",
        "x-amz-date",
        "idempotency-key",
        "content-type",
        "x-amz-security-token",
      ]),
    );
    expect(request.headers["x-amz-security-token"]).toBe(sessionToken);

    // The signature covers what arrived: the same request, signed again here, agrees.
    const url = new URL(request.url, `http://127.0.0.1:${port}`);
    const again = await new SignatureV4({
      service: "execute-api",
      region: "eu-central-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: secret, sessionToken },
      sha256: Sha256,
    }).sign(
      new HttpRequest({
        method: request.method,
        protocol: "http:",
        hostname: "127.0.0.1",
        port,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(signedHeaders.map((h) => [h, String(request.headers[h])])),
        body: request.body,
      }),
      {
        signingDate: new Date(
          `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
        ),
      },
    );
    expect(again.headers.authorization).toBe(authorization);

    const printed = result.stdout + result.stderr;
    const signature = authorization.split("Signature=")[1] as string;
    for (const hidden of [secret, sessionToken, signature]) expect(printed).not.toContain(hidden);
  });

  it("signs a GET with a query the way the API canonicalizes it", async () => {
    answer = () => ({ status: 200, body: { orders: [], nextCursor: null } });
    const result = await spawnCli(
      ["orders", "list", "--reference", "shop order/1042+x*", "--status", "completed"],
      signedEnv(),
    );
    expect(result.code).toBe(0);
    const request = requests[0] as Recorded;
    expect(request.url).toBe(
      "/merchant/orders?reference=shop%20order%2F1042%2Bx%2A&status=completed",
    );
    expect(request.headers.authorization).toContain("/eu-central-1/execute-api/aws4_request");
    expect(request.headers["idempotency-key"]).toBeUndefined();
  });

  it("IAM's refusal is exit code 1 and never echoes the canonical request (it holds the session token)", async () => {
    answer = () => ({
      status: 403,
      body: {
        message: `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. The Canonical String for this request should have been\n'GET\n/merchant/orders\n\nhost:x\nx-amz-security-token:${sessionToken}\n'`,
      },
    });
    const result = await spawnCli(["orders", "list"], signedEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "merchant: refused (403): The request signature we calculated does not match the signature you provided.",
    );
    expect(result.stderr).toContain("execute-api:Invoke");
    expect(result.stderr).not.toContain(sessionToken);
  });

  it("no credentials is exit code 3; nothing is sent", async () => {
    const env = signedEnv();
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_SESSION_TOKEN;
    const result = await spawnCli(["orders", "list"], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("could not sign the request with your AWS credentials");
    expect(requests).toEqual([]);
  });

  it("signed requests never go over plain http to another machine: exit code 2", async () => {
    const result = await run(["orders", "list"], {
      MERCHANT_API_URL: "http://api.example.com",
      AWS_REGION: "eu-central-1",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "refusing to send signed requests to http://api.example.com: use https",
    );
  });
});

describe("merchant CLI end to end: npm start's stack, a paid order, a refund", () => {
  let stack: LocalStack | undefined;
  let apiPort = 0;
  const cli = (args: string[]) =>
    spawnCli([...args, "--local"], isolatedEnv({ PORT: String(apiPort) }));

  beforeAll(async () => {
    stack = await startLocalStack({
      apiPort: 0,
      sandboxPort: 0,
      dynamodbPort: await freePort(),
    });
    apiPort = Number(new URL(stack.apiUrl).port);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
    const started = Date.now();
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() - started > 15_000) throw new Error(`${what}: still ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it("pays an order in the sandbox, refunds part of it from the CLI, and orders show has it", async () => {
    const local = stack as LocalStack;
    // The shop's flow: an order for two cups (25.00 GEL), paid by card on the bank's page.
    const created = await fetch(`${local.apiUrl}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ items: [{ productId: "espresso-cup", quantity: 2 }] }),
    });
    expect(created.status).toBe(201);
    const { orderId, redirectUrl } = (await created.json()) as {
      orderId: string;
      redirectUrl: string;
    };
    const bankOrderId = new URL(redirectUrl).searchParams.get("order_id");
    const paid = await fetch(`${local.sandbox.url}/_sandbox/orders/${bankOrderId}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outcome: "completed", paymentMethod: "card" }),
    });
    expect(paid.status).toBe(200);
    await until(
      "the order after the bank's callback",
      async () =>
        ((await (await fetch(`${local.apiUrl}/orders/${orderId}`)).json()) as { status: string })
          .status,
      (status) => status === "completed",
    );

    const row = new RegExp(`${orderId}\\s+-\\s+completed\\s+25\\.00 GEL\\s+card`);
    const listed = await cli(["orders", "list"]);
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(row);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const filtered = await cli(["orders", "list", "--status", "completed", "--from", since]);
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toMatch(row);

    const refunded = await cli([
      "refund",
      orderId,
      "--amount",
      "5.00",
      "--reason",
      "one cup arrived broken",
    ]);
    expect(refunded.stderr).toBe("");
    expect(refunded.code).toBe(0);
    expect(refunded.stdout).toContain("Kind       refund");
    expect(refunded.stdout).toContain("Amount     5.00");
    expect(refunded.stdout).toMatch(/State {6}(requested|completed)/);

    // The bank's callback settles the refund; orders show --json is the API's own JSON.
    const shown = await until(
      "the order after the refund",
      async () => {
        const result = await cli(["orders", "show", orderId, "--json"]);
        expect(result.code).toBe(0);
        return JSON.parse(result.stdout) as {
          status: string;
          refundedAmount: string | null;
          operations: Array<{ kind: string; amount: string; state: string; note: string }>;
        };
      },
      (order) =>
        order.status === "refunded_partially" && order.operations[0]?.state === "completed",
    );
    expect(shown).toMatchObject({
      orderId,
      status: "refunded_partially",
      amount: "25.00",
      currency: "GEL",
      refundedAmount: "5.00",
      bankOrderId,
      operations: [
        { kind: "refund", amount: "5.00", state: "completed", note: "one cup arrived broken" },
      ],
    });

    const table = await cli(["orders", "show", orderId]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Status          refunded_partially");
    expect(table.stdout).toContain("Refunded        5.00 GEL");
    expect(table.stdout).toMatch(/refund\s+5\.00\s+completed\s+merchant/);

    // What the API refuses, with its code and exit code 1: more than is left, a capture
    // of a paid order, an unknown order.
    const tooMuch = await cli(["refund", orderId, "--amount", "20.01"]);
    expect(tooMuch.code).toBe(1);
    expect(tooMuch.stderr).toContain("(409 amount_exceeds_balance)");
    const capture = await cli(["capture", orderId]);
    expect(capture.code).toBe(1);
    expect(capture.stderr).toContain("(409 invalid_state)");
    const unknown = await cli(["orders", "show", "0a1b2c3d-0000-4000-8000-000000000000"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("(404 order_not_found)");
  }, 90_000);
});
