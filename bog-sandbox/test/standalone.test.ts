import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "./support/paths.js";

/** `npm run sandbox` as a person runs it: prints its URL and credentials, stops on SIGTERM. */

/** Sends the child a signal the instant it prints a given text (see the file). */
const SIGNAL_ON_OUTPUT = "./test/support/signal-on-ready.ts";

function run(
  env: Record<string, string>,
  preload: string[] = [],
): { child: ChildProcess; output: () => string } {
  const imports = ["tsx", ...preload].flatMap((module) => ["--import", module]);
  const child = spawn(process.execPath, [...imports, "src/cli.ts"], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

const ended = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("npm run sandbox", () => {
  it("prints its URL and test credentials, serves, and stops cleanly on SIGTERM", async () => {
    const { child, output } = run({ BOG_SANDBOX_PORT: "0" });
    const done = exited(child);
    await until(() => output().includes("Press Ctrl-C to stop."));
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1];
    expect(url).toBeDefined();
    expect(output()).toContain('client id "sandbox-client", client secret "sandbox-secret"');
    const key = await fetch(`${url}/_sandbox/public-key`);
    expect(key.status).toBe(200);
    child.kill("SIGTERM");
    expect(await done).toBe(0);
  });

  it("takes its credentials from the environment", async () => {
    const { child, output } = run({
      BOG_SANDBOX_PORT: "0",
      BOG_SANDBOX_CLIENT_ID: "my-id",
      BOG_SANDBOX_CLIENT_SECRET: "my-secret",
    });
    const done = exited(child);
    await until(() => output().includes("Press Ctrl-C to stop."));
    expect(output()).toContain('client id "my-id", client secret "my-secret"');
    child.kill("SIGINT");
    expect(await done).toBe(0);
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops cleanly on a %s sent the instant it prints that it is ready",
    async (signal) => {
      // The signal arrives while the ready line is being written: the handlers must
      // already be there, or the process dies of the signal instead of stopping.
      const { child, output } = run(
        {
          BOG_SANDBOX_PORT: "0",
          SIGNAL_ON_OUTPUT: "Press Ctrl-C to stop.",
          SIGNAL_ON_OUTPUT_SIGNAL: signal,
        },
        [SIGNAL_ON_OUTPUT],
      );
      expect(await ended(child)).toEqual({ code: 0, signal: null });
      expect(output()).toContain("Press Ctrl-C to stop.");
      expect(output()).toContain(`[bog-sandbox] ${signal}: stopping`);
    },
  );

  it("reports a busy port in one clear line", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const { child, output } = run({ BOG_SANDBOX_PORT: String(port) });
    expect(await exited(child)).toBe(1);
    expect(output().trim()).toBe(
      `bog-sandbox: port ${port} is already in use; set BOG_SANDBOX_PORT to a free port`,
    );
    blocker.close();
  });

  it("refuses a malformed port", async () => {
    const { child, output } = run({ BOG_SANDBOX_PORT: "http" });
    expect(await exited(child)).toBe(1);
    expect(output().trim()).toBe(
      'bog-sandbox: BOG_SANDBOX_PORT must be a port number (0-65535), got "http"',
    );
  });
});
