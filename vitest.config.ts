import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** The sandbox package by name, from its source (tsconfig.json's paths say the same). */
export const sandboxAlias = {
  "bog-sandbox": fileURLToPath(new URL("./bog-sandbox/src/index.ts", import.meta.url)),
};

export default defineConfig({
  resolve: { alias: sandboxAlias },
  test: {
    // The product's tests, and the sandbox package's own (its conformance suite).
    include: ["test/**/*.test.ts", "bog-sandbox/test/**/*.test.ts"],
    // The browser tests have their own command (npm run test:e2e): they need chromium.
    exclude: ["test/e2e/**", "node_modules/**"],
    // Starts Amazon DynamoDB Local (in memory) once for the run, and stops it after.
    globalSetup: ["./test/support/global-setup.ts"],
    // Generous: a first CDK synth in a fresh worker takes 10-20 s on a loaded 2-core
    // machine (cdk-nag included); a timeout is a hang detector here, never a benchmark.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Each file starts its own servers on free ports, so files may run in parallel.
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
