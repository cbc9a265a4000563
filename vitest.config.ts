import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
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
