import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import type { Stats } from "bog-sandbox";
import { startDynamoDbLocal } from "../../local/dynamodb-local.js";
import type { SandboxAddress } from "../support/function-wiring.js";
import { REPO_ROOT } from "../support/paths.js";
import { NODE } from "./cold-start.js";

/**
 * What the functions talk to, started and stopped by the bench: DynamoDB Local (Java),
 * the sandbox in its own process, a receiver that keeps the sandbox's signed callbacks
 * (the bench replays them to the callback function), and an EventBridge stand-in.
 */

export interface RunningSandboxProcess extends SandboxAddress {
  stats(): Promise<Stats>;
  pay(bankOrderId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandboxProcess(): Promise<RunningSandboxProcess> {
  const child: ChildProcess = spawn(NODE, ["--import", "tsx", "test/bench/sandbox-process.ts"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the sandbox exited (${code})`)));
  });
  const address = JSON.parse(first) as SandboxAddress;
  return {
    ...address,
    async stats() {
      return (await (await fetch(`${address.url}/_sandbox/stats`)).json()) as Stats;
    },
    async pay(bankOrderId) {
      const response = await fetch(`${address.url}/_sandbox/orders/${bankOrderId}/pay`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ outcome: "completed" }),
      });
      if (!response.ok) throw new Error(`paying ${bankOrderId}: ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

export interface Receiver {
  url: string;
  received: Array<{ body: Buffer; headers: Record<string, string> }>;
  close(): Promise<void>;
}

/** An HTTP server that keeps every request's body and headers and answers `answer`. */
export async function startReceiver(
  answer: (body: Buffer) => { status: number; body: string } = () => ({ status: 200, body: "{}" }),
): Promise<Receiver> {
  const received: Receiver["received"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers[name] = value;
      }
      received.push({ body, headers });
      const reply = answer(body);
      res.writeHead(reply.status, { "content-type": "application/json" }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** PutEvents as EventBridge answers it (JSON 1.1), every entry accepted. */
export const putEventsAnswer = (body: Buffer) => {
  const entries = (JSON.parse(body.toString("utf8")) as { Entries: unknown[] }).Entries;
  return {
    status: 200,
    body: JSON.stringify({
      FailedEntryCount: 0,
      Entries: entries.map((_, i) => ({ EventId: `event-${i}` })),
    }),
  };
};

export { startDynamoDbLocal };
