import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser tests have their own command (npm run test:e2e): they need chromium.
    exclude: ["test/e2e/**", "node_modules/**"],
    // Starts Amazon DynamoDB Local (in memory) once for the run, and stops it after.
    globalSetup: ["./test/support/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Each file starts its own servers on free ports, so files may run in parallel.
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
