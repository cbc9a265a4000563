import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

declare module "vitest" {
  interface TaskMeta {
    /** `process.version` inside the test worker; the summary reporter prints it. */
    nodeVersion?: string;
  }
}

/**
 * The tests run on the Node major the functions run on in Lambda: `npm test` takes its
 * node from the `node` devDependency (node_modules/.bin comes first on npm's PATH),
 * not from the machine, whose node may be 20.
 */
const pinned = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};
const pinnedNode = pinned.devDependencies.node ?? "";
const lambdaMajor = 24;

describe("runtime", () => {
  it("the test workers run on the Lambda runtime's Node major (24)", ({ task }) => {
    task.meta.nodeVersion = process.version;
    const major = Number(process.versions.node.split(".")[0]);
    expect(
      major,
      `tests ran on Node ${process.version} (${process.execPath}); run them with npm test, which takes the node devDependency`,
    ).toBe(lambdaMajor);
  });

  it("pins one exact node@24 version, the one the workers run", () => {
    expect(pinnedNode).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(pinnedNode.split(".")[0])).toBe(lambdaMajor);
    expect(process.versions.node).toBe(pinnedNode);
  });

  it("the stack deploys the functions on the same major", () => {
    const source = readFileSync(join(REPO_ROOT, "infra", "payment-function.ts"), "utf8");
    expect(source).toContain(`Runtime.NODEJS_${lambdaMajor}_X`);
  });
});
