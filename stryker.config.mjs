// @ts-check
import { resolve } from "node:path";

// Stryker runs the tests in a copy of the repo under .stryker-tmp/, where ../shared is not
// beside it: point the tests (test/support/paths.ts) at the real one. The test runners are
// child processes of this one and inherit the variable.
process.env.BOG_SHARED_DIR ??= resolve("../shared");

/**
 * Mutation testing of the rules that move money (issue 15). `npm run test:mutation`
 * runs it incrementally against test/mutation/stryker-incremental.json; the full run is
 * `npm run test:mutation -- --force`. See README "Mutation testing".
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  // The repo's vitest.config.ts: its globalSetup starts DynamoDB Local once per runner.
  vitest: { configFile: "vitest.config.ts", related: true, pool: "forks" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    "lib/money.ts",
    "lib/ids.ts",
    "lib/bog/callback-signature.ts",
    "lib/bog/callback-event.ts",
    "lib/bog/payment-details.ts",
    "lib/bog/token-*.ts",
    "lib/orders/**/*.ts",
  ],
  // Only tests that run the mutated code in-process count: the CLI, CDK and child-process
  // tests (test/infra, test/local, the sandbox's own) cannot see a mutant.
  testFiles: ["test/unit/**/*.test.ts", "test/functions/**/*.test.ts", "test/bank/**/*.test.ts"],
  coverageAnalysis: "perTest",
  // Static mutants (module-level tables, sets, regexes) are activated after their module
  // has loaded with the vitest runner and testFiles (stryker-js issues 6144, 6209), so
  // every one would be reported as survived, killed or not. They are left out of the
  // score and checked by hand instead: test/mutation-equivalents.md.
  ignoreStatic: true,
  // Two cores shared by several people: one runner, and room for a slow machine.
  concurrency: 1,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 20,
  incremental: true,
  incrementalFile: "test/mutation/stryker-incremental.json",
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
};
