import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

/**
 * Each function reads and checks its configuration when its module loads (cold
 * start): a missing setting fails the container at once, naming the setting,
 * instead of failing the first customer's payment.
 */
function coldStart(fn: string, env: Record<string, string>) {
  const script = `import("./functions/${fn}/index.ts").then(() => console.log("loaded"), (e) => { console.error(e.name + ": " + e.message); process.exit(1); })`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", AWS_REGION: "eu-central-1", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

const TABLES = { ORDERS_TABLE: "o", BANK_TOKEN_TABLE: "t", CATALOG_TABLE: "c" };
const BANK = { BOG_CREDENTIALS_SECRET_ID: "bog/credentials" };

describe("cold start", () => {
  it.each([
    ["list-products", {}, "ConfigError: ORDERS_TABLE is required"],
    [
      "create-order",
      { ...TABLES, CALLBACK_URL: "https://pay.example/cb" },
      "ConfigError: BOG_CREDENTIALS_SECRET_ID is required",
    ],
    ["create-order", { ...TABLES, ...BANK }, "ConfigError: CALLBACK_URL is required"],
    [
      "create-order",
      { ...TABLES, ...BANK, CALLBACK_URL: "http://shop.example/cb" },
      "ConfigError: CALLBACK_URL must be an https URL",
    ],
    [
      "get-status",
      { ...TABLES, ...BANK, STATUS_REFRESH_SECONDS: "soon" },
      "ConfigError: STATUS_REFRESH_SECONDS must be a whole number",
    ],
    [
      "callback",
      { ...TABLES, ...BANK, BOG_CALLBACK_PUBLIC_KEY: "/no/such/key.pem" },
      "ConfigError: BOG_CALLBACK_PUBLIC_KEY is neither PEM text nor a readable PEM file",
    ],
  ])("%s with %j fails: %s", (fn, env, message) => {
    const result = coldStart(fn, env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it.each([
    ["list-products", { ...TABLES }],
    ["create-order", { ...TABLES, ...BANK, CALLBACK_URL: "https://pay.example/callback" }],
    ["get-status", { ...TABLES, ...BANK }],
    ["callback", { ...TABLES, ...BANK }],
  ])("%s loads with a complete configuration, calling nothing", (fn, env) => {
    const result = coldStart(fn, env);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.stdout.trim()).toBe("loaded");
  });
});
