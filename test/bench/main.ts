import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE, FUNCTION_NAMES, RUNTIME_NODE_OPTIONS } from "../../infra/bundling.js";
import { REPO_ROOT } from "../support/paths.js";
import { NODE } from "./cold-start.js";
import { BEFORE_LEVERS, buildAll, measureColdStarts, modesOf } from "./cold-starts.js";
import { startDynamoDbLocal, startSandboxProcess } from "./peers.js";
import { coldStartTable, goals, tokenLine, warmTable } from "./report.js";
import { measureTokenReuse, measureWarmRequests } from "./warm-requests.js";

/**
 * `npm run bench` (docs/commands.md): bundle bytes and cold-start import time of every
 * deployed function against the naive anchor, built in this run with the stack's
 * settings; CPU per warm request and DynamoDB and bank requests per operation; bank
 * round trips per order across cold containers. Prints tables, writes
 * bench-results.json. `-- --smoke`: few repetitions (CI), no thresholds anywhere.
 */

const smoke = process.argv.includes("--smoke");
const plan = smoke
  ? { coldRounds: 3, warmRequests: 10, orders: 50, containers: 20 }
  : { coldRounds: 9, warmRequests: 100, orders: 1000, containers: 20 };

const started = Date.now();
const progress = (line: string) =>
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

const nodeVersion = execFileSync(NODE, ["--version"], { encoding: "utf8" }).trim();
const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model ?? "unknown",
  node: nodeVersion,
  platform: `${process.platform} ${process.arch}`,
};
if (!nodeVersion.startsWith("v24."))
  throw new Error(`the bench runs on Node 24, found ${nodeVersion}`);

// Every function under functions/ is benched: a new one must be added to FUNCTION_NAMES.
const folders = readdirSync(join(REPO_ROOT, "functions")).sort();
if (folders.join() !== [...FUNCTION_NAMES].sort().join()) {
  throw new Error(`infra/bundling.ts FUNCTION_NAMES (${FUNCTION_NAMES}) ≠ functions/ (${folders})`);
}

const outdir = mkdtempSync(join(tmpdir(), "bench-bundles-"));
const dynamo = await startDynamoDbLocal();
const sandbox = await startSandboxProcess().catch(async (error: unknown) => {
  await dynamo.stop();
  throw error;
});
try {
  progress(`building ${outdir}`);
  const built = await buildAll(outdir);
  const modes = modesOf(!smoke);
  const bundles = await measureColdStarts(built, modes, plan.coldRounds, progress);
  // The full run also measures the settings before the levers, for docs/benchmark.md's table.
  const before = smoke
    ? undefined
    : await measureColdStarts(
        await buildAll(join(outdir, "before"), { alias: false }),
        [BEFORE_LEVERS],
        plan.coldRounds,
        (line) => progress(`before levers: ${line}`),
      );
  const warm = await measureWarmRequests(sandbox, dynamo.endpoint, plan.warmRequests, progress);
  const tokens = await measureTokenReuse(
    sandbox,
    dynamo.endpoint,
    plan.orders,
    plan.containers,
    progress,
  );
  const deployed = modes[0]?.name ?? "";
  const results = {
    mode: smoke ? "smoke" : "full",
    plan,
    machine,
    settings: { bundle: BUNDLE, nodeOptions: RUNTIME_NODE_OPTIONS },
    bundles,
    beforeLevers: before,
    warm,
    tokens,
    goals: goals(bundles, deployed),
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(join(REPO_ROOT, "bench-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const out = [
    `npm run bench${smoke ? " -- --smoke" : ""}: ${machine.nproc} × ${machine.cpu}, node ${machine.node}, ${machine.platform}`,
    `NODE_OPTIONS as deployed: "${RUNTIME_NODE_OPTIONS}"; ${plan.coldRounds} fresh processes per bundle and mode`,
    "",
    coldStartTable(bundles, modes),
    "",
    ...(before
      ? [
          "before the levers (no credentials alias, NODE_OPTIONS=--enable-source-maps):",
          coldStartTable(before, [BEFORE_LEVERS]),
          "",
        ]
      : []),
    warmTable(warm),
    "",
    tokenLine(tokens),
    "",
    "goals (as deployed, against the anchor):",
    ...results.goals.map((g) => `  ${g}`),
    "",
    `${results.durationSeconds} s; every figure in bench-results.json`,
  ];
  console.log(out.join("\n"));
} finally {
  await sandbox.stop();
  await dynamo.stop();
  rmSync(outdir, { recursive: true, force: true });
}
