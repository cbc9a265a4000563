import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one plain closing line, `N passed, N failed, N skipped`, after the default
 * reporter's summary, so CI reads the counts whatever runner it knows.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
  ): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    // A file that failed outside its tests (a failing setup, an import error) is a failure too.
    let brokenFiles = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") count.passed += 1;
        else if (state === "failed") failedHere += 1;
        else count.skipped += 1;
      }
      count.failed += failedHere;
      if (module.state() === "failed" && failedHere === 0) brokenFiles += 1;
    }
    const failed = count.failed + brokenFiles + unhandledErrors.length;
    process.stdout.write(`\n${count.passed} passed, ${failed} failed, ${count.skipped} skipped\n`);
  }
}
