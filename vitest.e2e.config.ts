import { defineConfig } from "vitest/config";
import { sandboxAlias } from "./vitest.config.js";

/** `npm run test:e2e`: a real browser (Debian's chromium) against `npm start`'s stack. */
export default defineConfig({
  resolve: { alias: sandboxAlias },
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
