// @ts-check
/**
 * `npm run test:mutation`: StrykerJS over each group of test/mutation/groups.mjs in turn,
 * each incremental against its own committed file, each held to `thresholds.break`;
 * then one score table and one merged Stryker JSON report (reports/mutation/mutation.json).
 *
 *   npm run test:mutation                        every baselined group, incrementally
 *   npm run test:mutation -- --group token       one group (baselined or not)
 *   npm run test:mutation -- --all --force       every group, full runs (hours)
 *
 * Other arguments go to `stryker run` as they are (--force, --concurrency 2, …).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, globSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { BREAK } from "../../stryker.config.mjs";
import { groups } from "./groups.mjs";

const args = process.argv.slice(2);
const named = [];
const passthrough = [];
let all = false;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--group") named.push(String(args[++i]));
  else if (args[i] === "--all") all = true;
  else passthrough.push(/** @type {string} */ (args[i]));
}
const unknown = named.filter((name) => !groups.some((g) => g.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown group(s): ${unknown.join(", ")}; groups: ${groups.map((g) => g.name).join(", ")}`,
  );
  process.exit(2);
}
const selected = groups.filter((g) =>
  named.length > 0 ? named.includes(g.name) : all || g.baselined,
);

/** Killed and timed out count as detected; survived and uncovered as not (Stryker's score). */
function tally(report) {
  const t = { detected: 0, undetected: 0, compileErrors: 0, ignored: 0 };
  for (const file of Object.values(report.files)) {
    for (const m of file.mutants) {
      if (m.status === "Killed" || m.status === "Timeout") t.detected += 1;
      else if (m.status === "Survived" || m.status === "NoCoverage") t.undetected += 1;
      else if (m.status === "CompileError") t.compileErrors += 1;
      else if (m.status === "Ignored") t.ignored += 1;
    }
  }
  return t;
}
const score = (t) =>
  t.detected + t.undetected === 0 ? 100 : (100 * t.detected) / (t.detected + t.undetected);

const failed = [];
/**
 * What a group's results depend on as Stryker's incremental mode sees it: the group
 * itself, the files it mutates, its test files, and the tools' settings and versions.
 * Stryker reuses a mutant's result while its code and the tests that cover it are
 * unchanged; when none of these changed, every result would be reused, so the group is
 * not run at all (its dry run alone costs 20 s to 3 min) and its committed results are
 * reported as they are. Any argument for Stryker (--force, …) runs every group.
 */
function fingerprint(/** @type {(typeof groups)[number]} */ group) {
  const hash = createHash("sha256").update(JSON.stringify(group));
  const include = group.mutate.filter((p) => !p.startsWith("!"));
  const exclude = group.mutate.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  const files = [
    ...globSync(include, { exclude }),
    ...group.testFiles,
    "stryker.config.mjs",
    "vitest.config.ts",
    "tsconfig.mutation.json",
    "package-lock.json",
  ].sort();
  for (const file of files) hash.update(`\0${file}\0`).update(readFileSync(file));
  return hash.digest("hex");
}
const fingerprintFile = (/** @type {string} */ name) =>
  `test/mutation/incremental/${name}.fingerprint`;
const incrementalFile = (/** @type {string} */ name) => `test/mutation/incremental/${name}.json`;

const rows = [];
/** @type {any} */
const merged = {
  schemaVersion: "2",
  thresholds: { high: 90, low: BREAK },
  files: {},
  testFiles: {},
};
for (const group of selected) {
  console.log(`\n== mutation group "${group.name}": ${group.mutate.join(", ")}`);
  const started = Date.now();
  const print = fingerprint(group);
  const unchanged =
    passthrough.length === 0 &&
    existsSync(incrementalFile(group.name)) &&
    existsSync(fingerprintFile(group.name)) &&
    readFileSync(fingerprintFile(group.name), "utf8").trim() === print;
  let reportFile = `reports/mutation/${group.name}/mutation.json`;
  if (unchanged) {
    console.log("   nothing it depends on changed since its committed results: not run again");
    reportFile = incrementalFile(group.name);
  } else {
    const run = spawnSync("npx", ["stryker", "run", ...passthrough], {
      stdio: "inherit",
      env: { ...process.env, STRYKER_GROUP: group.name },
    });
    if (run.status !== 0) failed.push(group.name);
    else writeFileSync(fingerprintFile(group.name), `${print}\n`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!existsSync(reportFile)) {
    rows.push({ group: group.name, score: "no report", seconds });
    continue;
  }
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  const t = tally(report);
  // A group reported from its committed results is still held to the break.
  if (unchanged && score(t) < BREAK) failed.push(group.name);
  rows.push({
    group: group.name,
    score: score(t).toFixed(2),
    ...t,
    seconds,
    ...(unchanged ? { run: "unchanged" } : {}),
  });
  // One report for all groups: test ids are per run, so each is prefixed with its group.
  const id = (/** @type {string} */ testId) => `${group.name}:${testId}`;
  for (const [path, file] of Object.entries(report.files)) {
    merged.files[path] = {
      ...file,
      mutants: file.mutants.map((m) => ({
        ...m,
        id: id(m.id),
        coveredBy: m.coveredBy?.map(id),
        killedBy: m.killedBy?.map(id),
      })),
    };
  }
  for (const [path, file] of Object.entries(report.testFiles ?? {})) {
    const tests = file.tests.map((test) => ({ ...test, id: id(test.id) }));
    const known = merged.testFiles[path];
    merged.testFiles[path] = known
      ? { ...known, tests: [...known.tests, ...tests] }
      : { ...file, tests };
  }
}

const total = tally(merged);
mkdirSync("reports/mutation", { recursive: true });
writeFileSync("reports/mutation/mutation.json", JSON.stringify(merged, null, 2));
console.log(
  "\n== mutation score by group (killed and timed out / all but compile errors and ignored)",
);
console.table(rows);
console.log(
  `total: ${score(total).toFixed(2)} (${total.detected} detected, ${total.undetected} not; break at ${BREAK}) over ${selected.length} group(s); ` +
    `not baselined yet: ${
      groups
        .filter((g) => !g.baselined)
        .map((g) => g.name)
        .join(", ") || "none"
    }`,
);
if (failed.length > 0) {
  console.error(`mutation testing failed for: ${failed.join(", ")}`);
  process.exit(1);
}
if (score(total) < BREAK) process.exit(1);
