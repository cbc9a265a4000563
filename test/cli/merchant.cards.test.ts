import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../../cli/merchant-args.js";
import { runMerchant } from "../../cli/merchant-command.js";
import { freePort } from "../../local/ports.js";
import { type LocalStack, startLocalStack } from "../../local/stack.js";

/** `npm run merchant -- cards …` against npm start's stack: list, charge, delete (docs/saved-cards.md). */

const CARD = "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab";

describe("merchant CLI: cards, the command line", () => {
  it("reads cards list, charge and delete", () => {
    expect(parseArgs(["cards", "list", "cust 7", "--local"])).toMatchObject({
      command: { name: "cards list", customerRef: "cust 7" },
    });
    expect(parseArgs(["cards", "charge", CARD, "--reference", "renewal-3"])).toMatchObject({
      command: { name: "cards charge", cardId: CARD, body: { reference: "renewal-3" } },
    });
    expect(parseArgs(["cards", "delete", CARD.toUpperCase()])).toMatchObject({
      command: { name: "cards delete", cardId: CARD },
    });
  });

  it.each([
    [["cards"]],
    [["cards", "show", CARD]],
    [["cards", "list"]],
    [["cards", "list", "a/b"]],
    [["cards", "charge", "not-a-card"]],
    [["cards", "delete", CARD, "--reference", "x"]],
    [["cards", "charge", CARD, "--reference", "r".repeat(65)]],
  ])("%j is bad usage", (args) => {
    expect(() => parseArgs(args)).toThrow(UsageError);
  });
});

describe("merchant CLI: cards against npm start's stack", () => {
  let stack: LocalStack | undefined;
  let apiPort = 0;
  const cli = async (args: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = await runMerchant([...args, "--local"], {
      env: { PORT: String(apiPort) },
      stdout: (text) => {
        stdout += `${text}\n`;
      },
      stderr: (text) => {
        stderr += `${text}\n`;
      },
    });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    stack = await startLocalStack({ apiPort: 0, sandboxPort: 0, dynamodbPort: await freePort() });
    apiPort = Number(new URL(stack.apiUrl).port);
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let i = 0; i < 150; i += 1) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("never happened");
  }

  it("lists a customer's saved card, charges it, deletes it", async () => {
    const local = stack as LocalStack;
    const created = await fetch(`${local.apiUrl}/merchant/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({
        currency: "GEL",
        items: [{ productId: "plan", description: "Monthly plan", quantity: 1, unitPrice: "9.90" }],
        saveCard: "subscription",
        customerRef: "cust-42",
      }),
    });
    expect(created.status).toBe(201);
    const { orderId, redirectUrl } = (await created.json()) as {
      orderId: string;
      redirectUrl: string;
    };
    const bankOrderId = new URL(redirectUrl).searchParams.get("order_id");
    await fetch(`${local.sandbox.url}/_sandbox/orders/${bankOrderId}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outcome: "completed", cardType: "visa" }),
    });
    const listed = await until(
      () => cli(["cards", "list", "cust-42"]),
      (r) => r.stdout.includes(orderId),
    );
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`${orderId}\\s+subscription\\s+548888\\*{3}\\d{4}\\s+visa\\s+09/29`),
    );

    const charged = await cli(["cards", "charge", orderId, "--reference", "renewal-1"]);
    expect(charged.stderr).toBe("");
    expect(charged.code).toBe(0);
    expect(charged.stdout).toContain("9.90 GEL");

    const deleted = await cli(["cards", "delete", orderId]);
    expect(deleted).toMatchObject({ code: 0, stdout: `Card ${orderId} deleted.\n` });
    expect((await cli(["cards", "list", "cust-42"])).stdout).toBe("No cards.\n");
    const again = await cli(["cards", "charge", orderId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("card_not_found");
  });
});
