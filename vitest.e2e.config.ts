import { defineConfig } from "vitest/config";

/** `npm run test:e2e`: a real browser (Debian's chromium) against `npm start`'s stack. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
