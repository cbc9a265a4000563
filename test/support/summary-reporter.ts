import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after the default
 * reporter's summary, so CI reads the counts whatever runner it knows. Before it, the
 * Node version of the run: vitest's own, and the workers' as test/infra/node-version.test.ts
 * records it in its test's meta (absent when that file did not run).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
  ): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const workerVersions = new Set<string>();
    // A file that failed outside its tests (a failing setup, an import error) is a failure too.
    let brokenFiles = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        const seen = test.meta().nodeVersion;
        if (seen) workerVersions.add(seen);
        if (state === "passed") count.passed += 1;
        else if (state === "failed") failedHere += 1;
        else count.skipped += 1;
      }
      count.failed += failedHere;
      if (module.state() === "failed" && failedHere === 0) brokenFiles += 1;
    }
    const failed = count.failed + brokenFiles + unhandledErrors.length;
    const workers = workerVersions.size > 0 ? [...workerVersions].join(", ") : "not recorded";
    process.stdout.write(`\nNode: vitest ${process.version}, test workers ${workers}\n`);
    process.stdout.write(`\n${count.passed} passed, ${failed} failed, ${count.skipped} skipped\n`);
  }
}
