import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

/**
 * The layer rules (.dependency-cruiser.cjs, `npm run deps` in CI) go red for the
 * imports they forbid: each case is a small tree in a temporary folder, cruised with
 * the project's own configuration.
 */

const work = mkdtempSync(join(tmpdir(), "layers-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cruise(files: Record<string, string>): { ok: boolean; output: string } {
  const root = mkdtempSync(join(work, "tree-"));
  cpSync(join(REPO_ROOT, ".dependency-cruiser.cjs"), join(root, ".dependency-cruiser.cjs"));
  writeFileSync(join(root, "tsconfig.json"), '{ "compilerOptions": { "module": "NodeNext" } }\n');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const bin = join(REPO_ROOT, "node_modules/.bin/depcruise");
  try {
    const output = execFileSync(bin, [".", "--config", ".dependency-cruiser.cjs"], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    });
    return { ok: true, output };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}

const LIB = { "lib/money.ts": "export const x = 1;\n" };

describe("the layer rules", () => {
  it("pass a sandbox that imports only its own files and Node's", () => {
    const result = cruise({
      ...LIB,
      "bog-sandbox/src/a.ts":
        'import { isIP } from "node:net";\nimport { b } from "./b.js";\nexport const a = [isIP, b];\n',
      "bog-sandbox/src/b.ts": "export const b = 2;\n",
    });
    expect(result.output).toContain("no dependency violations");
    expect(result.ok).toBe(true);
  });

  it.each([
    ["a sandbox source file", "bog-sandbox/src/a.ts", "../../lib/money.js"],
    ["a sandbox test", "bog-sandbox/test/a.test.ts", "../../lib/money.js"],
  ])("refuse %s that imports the product", (_case, path, target) => {
    const result = cruise({
      ...LIB,
      [path]: `import { x } from "${target}";\nexport const y = x;\n`,
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("sandbox-imports-nothing-of-the-product");
  });

  it("refuse a sandbox source file that imports a package", () => {
    const result = cruise({
      "bog-sandbox/src/a.ts": 'import { z } from "zod";\nexport const a = z;\n',
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("sandbox-has-no-runtime-dependency");
  });

  it("refuse lib/ importing a handler", () => {
    const result = cruise({
      "functions/f/app.ts": "export const f = 1;\n",
      "lib/a.ts": 'import { f } from "../functions/f/app.js";\nexport const a = f;\n',
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("lib-imports-no-outer-layer");
  });

  it("refuse a domain rule importing lib/http/ (statuses are the HTTP layer's)", () => {
    const result = cruise({
      "lib/http/api-error.ts": "export class ApiError {}\n",
      "lib/orders/place.ts":
        'import { ApiError } from "../http/api-error.js";\nexport const p = ApiError;\n',
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("domain-knows-no-http");
  });

  it("pass lib/http/ using the domain's errors", () => {
    const result = cruise({
      "lib/domain-error.ts": "export class DomainError {}\n",
      "lib/http/api-error.ts":
        'import { DomainError } from "../domain-error.js";\nexport const a = DomainError;\n',
    });
    expect(result.output).toContain("no dependency violations");
    expect(result.ok).toBe(true);
  });

  it("pass infra/ taking the shared definitions (tables, metric names) from lib/", () => {
    const result = cruise({
      "lib/metrics.ts": "export const M = 1;\n",
      "lib/dynamo/tables.ts": "export const T = 1;\n",
      "infra/stack.ts":
        'import { M } from "../lib/metrics.js";\nimport { T } from "../lib/dynamo/tables.js";\nexport const s = [M, T];\n',
    });
    expect(result.output).toContain("no dependency violations");
    expect(result.ok).toBe(true);
  });

  it.each([
    ["a rule of lib/", "lib/orders/checkout/pricing.ts", "../lib/orders/checkout/pricing.js"],
    ["an operator command", "cli/merchant.ts", "../cli/merchant.js"],
    ["the local stack", "local/stack.ts", "../local/stack.js"],
  ])("refuse infra/ importing %s", (_case, path, target) => {
    const result = cruise({
      [path]: "export const x = 1;\n",
      "infra/stack.ts": `import { x } from "${target}";\nexport const s = x;\n`,
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("infra-imports-definitions-only");
  });

  it("refuse an operator command importing the local stack", () => {
    const result = cruise({
      "local/stack.ts": "export const x = 1;\n",
      "cli/merchant.ts": 'import { x } from "../local/stack.js";\nexport const m = x;\n',
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("cli-imports-lib-only");
  });

  it("refuse a cycle", () => {
    const result = cruise({
      "lib/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
      "lib/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("no-cycles");
  });
});
