import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { type RunningSandbox, startSandbox } from "bog-sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runBankCheck } from "../../cli/bank-check-command.js";
import { checkPaymentDetails, fieldsTheParserReads } from "../../cli/bank-check-fields.js";
import { Report } from "../../cli/bank-check-report.js";
import { bankCheckTarget } from "../../cli/bank-check-target.js";
import { expiresInForm } from "../../cli/bank-check-token.js";
import { freePort } from "../../local/ports.js";
import { REPO_ROOT, VECTORS_DIR } from "../support/paths.js";
import { runScript, type ScriptRun } from "../support/run-script.js";

/**
 * `npm run bank:check` end to end: the real command (a child process, as npm runs it)
 * against the local sandbox over HTTP, paid the way the other tests pay (the sandbox's
 * control endpoint), refunded, and its report read. CI runs it through `npm test`.
 */

const CLIENT_ID = "check-client-7f3a";
const CLIENT_SECRET = "check-secret-9b1e5d7c2a4f6e8d0c1b";

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    callbackRetryDelaysMs: [],
  });
  // Watched, not replaced: the sandbox issues its tokens as ever, and the test learns them.
  vi.spyOn(sandbox.bank.tokens, "issue");
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  sandbox.bank.reset();
  vi.mocked(sandbox.bank.tokens.issue).mockClear();
});

/** Every token the sandbox issued in this test, whoever asked: none may appear in the output. */
function tokensIssued(): string[] {
  const spy = vi.mocked(sandbox.bank.tokens.issue);
  return spy.mock.results.flatMap((r) => (r.type === "return" ? [r.value.token] : []));
}

/** Runs the command as `npm run bank:check` does (tsx on this Node), with only the BOG_* given. */
function bankCheck(args: string[], env: Record<string, string>, stdin = ""): Promise<ScriptRun> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("BOG_")),
  );
  return runScript("cli/bank-check.ts", args, { ...base, ...env }, stdin);
}

const sandboxEnv = () => ({
  BOG_BASE_URL: sandbox.url,
  BOG_CLIENT_ID: CLIENT_ID,
  BOG_CLIENT_SECRET: CLIENT_SECRET,
});

/** Neither the secret nor any token the sandbox issued, nor anything shaped like a JWT. */
function expectNoSecrets(run: ScriptRun): void {
  const output = run.stdout + run.stderr;
  const issued = tokensIssued();
  expect(issued.length).toBeGreaterThan(0);
  for (const token of issued) {
    // Any 16 characters in a row of its claims or signature (the header is the same for all).
    const secretPart = token.slice(token.indexOf(".") + 1);
    for (let i = 0; i + 16 <= secretPart.length; i += 1) {
      expect(output.includes(secretPart.slice(i, i + 16))).toBe(false);
    }
  }
  expect(output).not.toContain(CLIENT_SECRET);
  expect(output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
}

async function sandboxOrder(id: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.url}/_sandbox/orders/${id}`);
  return (await response.json()) as Record<string, unknown>;
}

describe("npm run bank:check against the sandbox", () => {
  it("is the npm script", () => {
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts;
    expect(scripts["bank:check"]).toBe("tsx cli/bank-check.ts");
  });

  it("makes a 0.01 GEL order, then after payment refunds it, matching the sandbox throughout", async () => {
    const first = await bankCheck([], sandboxEnv());
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("expires_in: a number of seconds (300)");
    expect(first.stdout).toMatch(/JWT exp: \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(first.stdout).toMatch(/the product keeps this token until \S+Z \(from the JWT's exp\)/);
    expect(first.stdout).toMatch(
      /ok +the fields the product reads, all present \(\d+\): .*payment_detail\.code/,
    );
    expect(first.stdout).toContain("differed from the sandbox: 0\n  failed: 0\nbank:check passed");
    expectNoSecrets(first);

    const id = /--after-pay ([0-9a-f-]{36})/.exec(first.stdout)?.[1] as string;
    expect(first.stdout).toContain(`    ${sandbox.url}/?order_id=${id}\n`);
    const made = await sandboxOrder(id);
    expect(made.order_status).toMatchObject({ key: "created" });
    expect(made.purchase_units).toMatchObject({ request_amount: "0.01", currency_code: "GEL" });

    const pay = await fetch(`${sandbox.url}/_sandbox/orders/${id}/pay`, {
      method: "POST",
      body: JSON.stringify({ outcome: "completed" }),
    });
    expect(pay.status).toBe(200);

    const after = await bankCheck(["--after-pay", id], sandboxEnv());
    expect(after.stderr).toBe("");
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("paid: 0.01 GEL charged (card)");
    expect(after.stdout).toContain(`its answer's key is "request_received"`);
    expect(after.stdout).toContain(`status "refunded"`);
    expect(after.stdout).toContain("differed from the sandbox: 0\n  failed: 0\nbank:check passed");
    expectNoSecrets(after);
    const refunded = await sandboxOrder(id);
    expect(refunded.order_status).toMatchObject({ key: "refunded" });
    expect(refunded.purchase_units).toMatchObject({ refund_amount: "0.01" });
  });

  it("asks for the credentials without echo when the environment has none", async () => {
    const run = await bankCheck(
      [],
      { BOG_BASE_URL: sandbox.url },
      `${CLIENT_ID}\n${CLIENT_SECRET}\n`,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("Bank of Georgia client id: Bank of Georgia client secret: ");
    expect(run.stdout).not.toContain(CLIENT_ID);
    expectNoSecrets(run);
  });

  it("says clearly that wrong credentials were refused, and exits 1", async () => {
    const wrong = "not-the-secret-4c8e2a6b0d";
    const run = await bankCheck([], { ...sandboxEnv(), BOG_CLIENT_SECRET: wrong });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "FAILED  the bank refused the client id and secret (invalid_client): check that they are this environment's",
    );
    expect(run.stdout).toContain("bank:check FAILED: 1 check(s)");
    expect(run.stdout + run.stderr).not.toContain(wrong);
    expect(sandbox.bank.stats.createOrder).toBe(0);
  });

  it("refunds nothing before the order is paid, and exits 1", async () => {
    const first = await bankCheck([], sandboxEnv());
    const id = /--after-pay ([0-9a-f-]{36})/.exec(first.stdout)?.[1] as string;
    const run = await bankCheck(["--after-pay", id], sandboxEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAILED  not paid yet: pay it on the bank's page");
    expect(sandbox.bank.stats.refund).toBe(0);
    expect((await sandboxOrder(id)).order_status).toMatchObject({ key: "created" });
  });

  it("reports a bank whose expires_in is an epoch in ms as a difference, not a failure", async () => {
    await fetch(`${sandbox.url}/_sandbox/config`, {
      method: "POST",
      body: JSON.stringify({ expiresInFormat: "epoch-ms" }),
    });
    const run = await bankCheck([], sandboxEnv());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /differs expires_in: a number: an epoch in milliseconds \(as the bank's documented example\) \(\d{13}\); the sandbox sends a number of seconds/,
    );
    expect(run.stdout).toContain("differed from the sandbox: 1\n");
  });

  it("exits 3 when the bank cannot be reached", async () => {
    const closed = await freePort();
    const run = await bankCheck([], {
      ...sandboxEnv(),
      BOG_BASE_URL: `http://127.0.0.1:${closed}`,
    });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("FAILED  could not reach the bank: bank unavailable for token");
  });

  it.each([
    [[], {}, "say which bank: BOG_ENVIRONMENT=test"],
    [[], { BOG_ENVIRONMENT: "staging" }, "BOG_ENVIRONMENT must be one of production, test"],
    [["--callback-url", "http://shop.example/cb"], "sandbox", "--callback-url must be https"],
    [["--after-pay"], "sandbox", "--after-pay needs a value"],
    [[CLIENT_SECRET], "sandbox", "unexpected argument (credentials are never taken"],
    [
      [],
      { BOG_BASE_URL: "http://127.0.0.1:1", BOG_CLIENT_ID: CLIENT_ID },
      "BOG_CLIENT_SECRET is required with the other",
    ],
  ] as const)("refuses %j %j with exit code 2, sending nothing", async (args, env, message) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBankCheck([...args], {
      env: env === "sandbox" ? sandboxEnv() : env,
      stdin: new PassThrough(),
      prompt: new PassThrough(),
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
    });
    expect(code).toBe(2);
    expect(err.join("\n")).toContain(`bank:check: ${message}`);
    expect(out).toEqual([]);
    expect(err.join("\n")).not.toContain(CLIENT_SECRET);
    expect(sandbox.bank.stats.token).toBe(0);
  });
});

describe("bank:check's target", () => {
  it("takes the bank's test hosts for BOG_ENVIRONMENT=test, payment page included", () => {
    expect(bankCheckTarget({ BOG_ENVIRONMENT: "test" })).toEqual({
      environment: "test",
      endpoints: {
        tokenUrl: "https://oauth2-sandbox.bog.ge/auth/realms/bog/protocol/openid-connect/token",
        apiBaseUrl: "https://api-sandbox.bog.ge/payments/v1",
      },
      paymentOrigin: "https://payment-sandbox.bog.ge",
    });
    expect(bankCheckTarget({ BOG_ENVIRONMENT: "production" }).paymentOrigin).toBe(
      "https://payment.bog.ge",
    );
  });
});

describe("bank:check's field checks", () => {
  const genuine = (n: number) =>
    JSON.parse(readFileSync(join(VECTORS_DIR, `callback-${n}.body.json`), "utf8")).body as Record<
      string,
      unknown
    >;
  const check = (body: Record<string, unknown>) => {
    const lines: string[] = [];
    const report = new Report((line) => lines.push(line));
    checkPaymentDetails(body, report);
    return { lines: lines.join("\n"), report };
  };

  it.each([1, 2])("finds the bank's genuine callback %i shaped as the sandbox's receipt", (n) => {
    const { lines, report } = check(genuine(n));
    expect(report.count("differs")).toBe(0);
    expect(report.count("failed")).toBe(0);
    expect(lines).toContain("the same fields as the sandbox's payment details");
  });

  it("names what the parser reads from what it asks for, not from a list", () => {
    const read = fieldsTheParserReads(genuine(1));
    expect(read).toContain("order_status.key");
    expect(read).toContain("purchase_units.request_amount");
    expect(read).toContain("payment_detail.code");
    expect(read).not.toContain("buyer");
    expect(read).not.toContain("purchase_units");
  });

  it("fails on a field we read that is missing, and reports new and vanished fields by name only", () => {
    const body = genuine(1);
    const units = body.purchase_units as Record<string, unknown>;
    delete units.transfer_amount;
    delete body.industry;
    body.settlement_hint = "T+1";
    (body.payment_detail as Record<string, unknown>).code = "100";
    const { lines, report } = check(body);
    expect(lines).toContain(
      "FAILED  the product reads purchase_units.transfer_amount; the bank did not send it",
    );
    expect(lines).not.toMatch(/differs .*payment_detail\.code/);
    expect(lines).toContain("differs the bank sends fields the sandbox does not: settlement_hint");
    expect(lines).toContain("differs the sandbox sends fields the bank did not: industry");
    expect(lines).not.toContain("T+1");
    expect(report.count("failed")).toBe(1);
  });

  it("never prints the buyer's contact or the masked card", () => {
    const body = genuine(2);
    const payment = body.payment_detail as Record<string, unknown>;
    body.buyer = { full_name: "Nino Beridze", email: "nino@example.ge", phone_number: "599123456" };
    const { lines } = check(body);
    for (const value of [
      "Nino Beridze",
      "nino@example.ge",
      "599123456",
      String(payment.payer_identifier),
    ]) {
      expect(lines).not.toContain(value);
    }
  });

  it.each([
    [300, "seconds"],
    [1_700_000_000, "epoch-seconds"],
    [1_700_000_000_000, "epoch-ms"],
    ["300", "string"],
    [undefined, "absent"],
    [null, "null"],
    [0, "unreadable-number"],
    [true, "other"],
  ])("names expires_in %j a %s", (value, form) => {
    expect(expiresInForm(value)).toBe(form);
  });

  it("withholds a secret from every line, even a piece of it inside the bank's message", () => {
    const lines: string[] = [];
    const report = new Report((line) => lines.push(line));
    const token = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    report.withhold(token);
    report.failed(`the bank said: bad token ${token.slice(10, 40)} (quoted)`);
    report.note(`whole: ${token}`);
    expect(lines.join("\n")).not.toContain(token.slice(10, 22));
    expect(lines.join("\n")).toContain("whole: [withheld]");
  });
});
