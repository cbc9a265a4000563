import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { REPO_ROOT } from "../support/paths.js";

/**
 * A cold start measured as Lambda's runtime makes one: a fresh Node 24 process (the
 * node devDependency, the runtime's major) imports the bundle, which builds its
 * clients and reads its configuration at module scope. Timed inside the process:
 * import + module-scope init, wall clock and CPU, not process start-up.
 */

export const NODE = join(REPO_ROOT, "node_modules/.bin/node");

const PROBE = [
  "const t0 = performance.now(); const c0 = process.cpuUsage();",
  "await import(process.argv[1]);",
  "const ms = performance.now() - t0; const c = process.cpuUsage(c0);",
  "console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000 }));",
].join(" ");

export interface ImportSample {
  ms: number;
  cpuMs: number;
}

const run = promisify(execFile);

export async function importOnce(
  bundle: string,
  env: Record<string, string>,
  nodeOptions: string,
  compileCache?: string,
): Promise<ImportSample> {
  const childEnv: Record<string, string> = { ...env };
  if (nodeOptions !== "") childEnv.NODE_OPTIONS = nodeOptions;
  if (compileCache !== undefined) childEnv.NODE_COMPILE_CACHE = compileCache;
  try {
    const { stdout } = await run(
      NODE,
      ["--input-type=module", "-e", PROBE, pathToFileURL(bundle).href],
      { env: childEnv, cwd: dirname(bundle), timeout: 60_000 },
    );
    return JSON.parse(stdout.trim().split("\n").pop() ?? "") as ImportSample;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`importing ${bundle} failed: ${stderr.trim() || String(error)}`);
  }
}

/** Node's compile cache as a Lambda container could have it: empty (a new container's /tmp) or filled beforehand. */
export function freshCacheDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "bench-compile-cache-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
