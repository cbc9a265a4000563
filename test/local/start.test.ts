import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePorts, npmStart, spawnStart } from "../support/npm-start.js";

/** `npm start` as a person meets it: its addresses, its CORS, and how it fails and stops. */

const env = (ports: Record<string, number>) =>
  Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)]));

function finished(
  child: ReturnType<typeof spawnStart>,
): Promise<{ code: number | null; output: string }> {
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

async function portFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

describe("npm start", () => {
  it("serves the API with CORS for its own origins only, and stops everything on SIGTERM", async () => {
    const stack = await npmStart({ SHOP_ORIGINS: "http://localhost:5173" });
    try {
      expect(stack.output()).toContain(`demo shop        ${stack.apiUrl}/`);
      expect(stack.output()).not.toContain("NodeVersionSupportWarning");
      const allowed = await fetch(`${stack.apiUrl}/products`, {
        headers: { origin: "http://localhost:5173" },
      });
      expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(((await allowed.json()) as { products: unknown[] }).products).toHaveLength(5);
      const other = await fetch(`${stack.apiUrl}/products`, {
        headers: { origin: "https://evil.example" },
      });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      const preflight = await fetch(`${stack.apiUrl}/orders`, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-headers")).toBe(
        "content-type,idempotency-key",
      );
      expect((await fetch(`${stack.apiUrl}/nothing`)).status).toBe(404);
      const shop = await fetch(`${stack.apiUrl}/`);
      expect(shop.headers.get("content-type")).toContain("text/html");
    } finally {
      expect(await stack.stop()).toBe(0);
    }
    expect(await portFree(stack.dynamodbPort)).toBe(true);
    expect(await portFree(Number(new URL(stack.apiUrl).port))).toBe(true);
  });

  it("stops everything on a SIGTERM sent the instant it prints that it is ready", async () => {
    // The signal arrives while the ready line is being written: the handlers must
    // already be there, or node dies of it and leaves DynamoDB Local running.
    const ports = await freePorts();
    const child = spawnStart({ ...env(ports), SIGNAL_ON_OUTPUT: "Press Ctrl-C to stop." }, [
      "./bog-sandbox/test/support/signal-on-ready.ts",
    ]);
    const { code, output } = await finished(child);
    expect(output).toContain("Press Ctrl-C to stop.");
    expect(code).toBe(0);
    expect(output).toContain("npm start: SIGTERM; stopping");
    expect(await portFree(ports.DYNAMODB_PORT)).toBe(true);
    expect(await portFree(ports.PORT)).toBe(true);
    expect(await portFree(ports.BOG_SANDBOX_PORT)).toBe(true);
  }, 60_000);

  it("a busy port: one clear line, nothing left running", async () => {
    const ports = await freePorts();
    const blocker = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(ports.BOG_SANDBOX_PORT, "127.0.0.1", resolve),
    );
    const { code, output } = await finished(spawnStart(env(ports)));
    blocker.close();
    expect(code).toBe(1);
    expect(output.trim().split("\n").at(-1)).toBe(
      `npm start: port ${ports.BOG_SANDBOX_PORT} is already in use; set BOG_SANDBOX_PORT to a free port`,
    );
    expect(await portFree(ports.PORT)).toBe(true);
  });

  it("no Java: one clear line", async () => {
    const ports = await freePorts();
    const child = spawnStart({ ...env(ports), PATH: "/nonexistent" });
    const { code, output } = await finished(child);
    expect(code).toBe(1);
    expect(output.trim().split("\n").at(-1)).toBe(
      "npm start: DynamoDB Local needs Java 17 or newer: `java` was not found on PATH",
    );
  });

  it("a malformed port: one clear line", async () => {
    const { code, output } = await finished(spawnStart({ PORT: "http" }));
    expect(code).toBe(1);
    expect(output.trim().split("\n").at(-1)).toBe(
      'npm start: PORT must be a port number (0-65535), got "http"',
    );
  });

  it("a malformed LOCAL_MAX_CONTAINERS: one clear line", async () => {
    const { code, output } = await finished(spawnStart({ LOCAL_MAX_CONTAINERS: "0" }));
    expect(code).toBe(1);
    expect(output.trim().split("\n").at(-1)).toBe(
      'npm start: LOCAL_MAX_CONTAINERS must be a whole number from 1 to 1000, got "0"',
    );
  });

  it("a part that dies is reported, and everything else is shut down", async () => {
    const stack = await npmStart();
    const java = execFileSync("pgrep", ["-f", `DynamoDBLocal.jar.*-port ${stack.dynamodbPort}`], {
      encoding: "utf8",
    }).trim();
    expect(java).not.toBe("");
    spawnSync("kill", ["-9", ...java.split("\n")]);
    // It notices by itself, says so, shuts the rest down and exits 1.
    expect(await stack.exited).toBe(1);
    expect(stack.output()).toContain("npm start: DynamoDB Local stopped unexpectedly");
    expect(await portFree(Number(new URL(stack.apiUrl).port))).toBe(true);
    expect(await portFree(Number(new URL(stack.sandboxUrl).port))).toBe(true);
  });
});
