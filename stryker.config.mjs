// @ts-check
import { groups } from "./test/mutation/groups.mjs";

/** The score below which a run fails (Stryker's thresholds.break); the goal is 90. */
export const BREAK = 85;

// `npm run test:mutation` (test/mutation/run.mjs) runs one group at a time and names it
// here; a plain `npx stryker run` is every listed file with every in-process test (hours).
const groupName = process.env.STRYKER_GROUP;
const group = groups.find((g) => g.name === groupName);
if (groupName && !group)
  throw new Error(`STRYKER_GROUP=${groupName} is not in test/mutation/groups.mjs`);
const scope = group ?? {
  name: "all",
  mutate: [
    "lib/money.ts",
    "lib/ids.ts",
    "lib/bog/callback-signature.ts",
    "lib/bog/callback-event.ts",
    "lib/bog/payment-details.ts",
    "lib/bog/token-*.ts",
    "lib/orders/**/*.ts",
    "lib/events/*.ts",
    "lib/cards/*.ts",
  ],
  // Only tests that run the mutated code in-process count: the CLI, CDK and child-process
  // tests (test/infra, test/cli, test/local, the sandbox's own) cannot see a mutant.
  testFiles: ["test/lib/**/*.test.ts", "test/functions/**/*.test.ts"],
};

/**
 * Mutation testing of the rules that move money (issue 15). See docs/testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  // The repo's vitest.config.ts: its globalSetup starts DynamoDB Local once per runner.
  vitest: { configFile: "vitest.config.ts", related: true, pool: "forks" },
  checkers: ["typescript"],
  // The checker type-checks the program once per group of mutants: lib/ alone (with what it
  // imports) is a quarter of the files of the whole repo's program (infra's aws-cdk-lib above
  // all), and mutants live in lib/. A mutant that only breaks a caller's types still runs.
  tsconfigFile: "tsconfig.mutation.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: scope.mutate,
  testFiles: scope.testFiles,
  coverageAnalysis: "perTest",
  // Static mutants (module-level tables, sets, regexes) are activated after their module
  // has loaded with the vitest runner and testFiles (stryker-js issues 6144, 6209), so
  // every one would be reported as survived, killed or not. They are left out of the
  // score; those holding a money rule were checked by hand (docs/testing.md). Equivalent
  // mutants are written at the code as `// Stryker disable next-line <mutator>: <reason>`
  // comments (grep `Stryker disable` to list them).
  ignoreStatic: true,
  // Two cores: one checker and one test runner (whose vitest runs test files in parallel).
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 20,
  incremental: true,
  incrementalFile: `test/mutation/incremental/${scope.name}.json`,
  thresholds: { high: 90, low: BREAK, break: BREAK },
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: `reports/mutation/${scope.name}/mutation.json` },
  htmlReporter: { fileName: `reports/mutation/${scope.name}/mutation.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: `.stryker-tmp/${scope.name}`,
};
