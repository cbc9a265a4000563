import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../../local/ports.js";
import { checkAnswersFrom } from "./openapi-check.js";
import { REPO_ROOT } from "./paths.js";

/** `npm start` (its command, local/start.ts) as a child process, on free ports. */

export async function freePorts(): Promise<{
  PORT: number;
  BOG_SANDBOX_PORT: number;
  DYNAMODB_PORT: number;
}> {
  return {
    PORT: await freePort(),
    BOG_SANDBOX_PORT: await freePort(),
    DYNAMODB_PORT: await freePort(),
  };
}

/** `preload`: more modules for `node --import`, after tsx (see signal-on-ready.ts). */
export function spawnStart(env: Record<string, string>, preload: string[] = []): ChildProcess {
  const imports = ["tsx", ...preload].flatMap((module) => ["--import", module]);
  return spawn(process.execPath, [...imports, "local/start.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface StartedStack {
  apiUrl: string;
  sandboxUrl: string;
  dynamodbPort: number;
  output: () => string;
  /** Settles with the exit code when the process ends, however it ends. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code (or the exit code it already had). */
  stop(): Promise<number | null>;
}

export async function npmStart(extraEnv: Record<string, string> = {}): Promise<StartedStack> {
  const ports = await freePorts();
  const child = spawnStart({
    PORT: String(ports.PORT),
    BOG_SANDBOX_PORT: String(ports.BOG_SANDBOX_PORT),
    DYNAMODB_PORT: String(ports.DYNAMODB_PORT),
    ...extraEnv,
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const started = Date.now();
  while (!output.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
    if (Date.now() - started > 90_000) throw new Error(`npm start did not come up: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Every answer the tests fetch from this stack is checked against openapi.yaml.
  checkAnswersFrom(`http://127.0.0.1:${ports.PORT}`);
  return {
    apiUrl: `http://127.0.0.1:${ports.PORT}`,
    sandboxUrl: `http://127.0.0.1:${ports.BOG_SANDBOX_PORT}`,
    dynamodbPort: ports.DYNAMODB_PORT,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** A checkout of one espresso cup on the running stack: the shop's order id and the bank's. */
export async function checkout(
  stack: StartedStack,
): Promise<{ orderId: string; bankOrderId: string }> {
  const created = await fetch(`${stack.apiUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ items: [{ productId: "espresso-cup", quantity: 1 }] }),
  });
  if (created.status !== 201) throw new Error(`POST /orders answered ${created.status}`);
  const order = (await created.json()) as { orderId: string; redirectUrl: string };
  const bankOrderId = new URL(order.redirectUrl).searchParams.get("order_id");
  if (!bankOrderId) throw new Error("no bank order id in the redirect URL");
  return { orderId: order.orderId, bankOrderId };
}

/** The buyer pays on the sandbox's page (`outcome: completed`). */
export async function payOnSandbox(stack: StartedStack, bankOrderId: string): Promise<void> {
  const paid = await fetch(`${stack.sandboxUrl}/_sandbox/orders/${bankOrderId}/pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ outcome: "completed" }),
  });
  if (paid.status !== 200) throw new Error(`the sandbox's pay answered ${paid.status}`);
}
