import { join } from "node:path";
import { FUNCTION_NAMES, RUNTIME_NODE_OPTIONS } from "../../infra/bundling.js";
import { type BuiltBundle, buildLikeTheStack } from "./bundle.js";
import { freshCacheDir, importOnce } from "./cold-start.js";
import { functionEnv } from "./function-env.js";
import { type Spread, spread } from "./stats.js";

/**
 * Part one of the bench: every deployed function's bundle and the naive anchor, built
 * in this run with the stack's settings, then imported in fresh processes, the
 * samples interleaved (bundle by bundle, mode by mode) so machine noise falls on all
 * of them alike.
 */

export type BundleName = (typeof FUNCTION_NAMES)[number] | "anchor";
const BUNDLES: BundleName[] = [...FUNCTION_NAMES, "anchor"];

export interface Mode {
  name: string;
  nodeOptions: string;
  compileCache?: "empty" | "prefilled";
}

/** The settings before the levers (docs/benchmark.md): the source-map flag, no alias. */
export const BEFORE_LEVERS: Mode = { name: "before levers", nodeOptions: "--enable-source-maps" };

export function modesOf(full: boolean): Mode[] {
  const modes: Mode[] = [
    { name: "as deployed", nodeOptions: RUNTIME_NODE_OPTIONS },
    RUNTIME_NODE_OPTIONS === ""
      ? { name: "with --enable-source-maps", nodeOptions: "--enable-source-maps" }
      : { name: "without NODE_OPTIONS", nodeOptions: "" },
  ];
  if (full) {
    modes.push(
      { name: "compile cache, empty", nodeOptions: RUNTIME_NODE_OPTIONS, compileCache: "empty" },
      {
        name: "compile cache, prefilled",
        nodeOptions: RUNTIME_NODE_OPTIONS,
        compileCache: "prefilled",
      },
    );
  }
  return modes;
}

interface ImportResult {
  wallMs: Spread;
  cpuMs: Spread;
  /** Median wall time over the anchor's in the same mode. */
  ratio: number;
}

export interface BundleResult {
  name: BundleName;
  bytes: number;
  mapBytes: number;
  /** Bytes over the anchor's. */
  bytesRatio: number;
  imports: Record<string, ImportResult>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function buildAll(
  outdir: string,
  options: { alias?: boolean } = {},
): Promise<Map<BundleName, BuiltBundle>> {
  const built = new Map<BundleName, BuiltBundle>();
  for (const name of BUNDLES) {
    const entry = name === "anchor" ? "test/bench/anchor.ts" : `functions/${name}/index.ts`;
    built.set(name, await buildLikeTheStack(entry, join(outdir, name), options));
  }
  return built;
}

export async function measureColdStarts(
  built: Map<BundleName, BuiltBundle>,
  modes: Mode[],
  repetitions: number,
  progress: (line: string) => void,
): Promise<BundleResult[]> {
  const samples = new Map<string, { wall: number[]; cpu: number[] }>();
  const key = (bundle: BundleName, mode: Mode) => `${bundle}\u0000${mode.name}`;
  const prefilled = new Map<BundleName, ReturnType<typeof freshCacheDir>>();
  try {
    for (const [name, bundle] of built) {
      if (modes.some((m) => m.compileCache === "prefilled")) {
        const cache = freshCacheDir();
        prefilled.set(name, cache);
        // One import fills the cache, as a build step could before shipping it.
        await importOnce(bundle.file, functionEnv(name), RUNTIME_NODE_OPTIONS, cache.dir);
      }
    }
    for (let rep = 0; rep < repetitions; rep++) {
      progress(`cold starts: round ${rep + 1} of ${repetitions}`);
      for (const [name, bundle] of built) {
        for (const mode of modes) {
          const empty = mode.compileCache === "empty" ? freshCacheDir() : undefined;
          const cacheDir = empty?.dir ?? prefilled.get(name)?.dir;
          const sample = await importOnce(
            bundle.file,
            functionEnv(name),
            mode.nodeOptions,
            mode.compileCache ? cacheDir : undefined,
          );
          empty?.remove();
          const bucket = samples.get(key(name, mode)) ?? { wall: [], cpu: [] };
          bucket.wall.push(sample.ms);
          bucket.cpu.push(sample.cpuMs);
          samples.set(key(name, mode), bucket);
        }
      }
    }
  } finally {
    for (const cache of prefilled.values()) cache.remove();
  }
  const anchor = built.get("anchor");
  if (!anchor) throw new Error("the anchor was not built");
  const wallOf = (name: BundleName, mode: Mode) => spread(samples.get(key(name, mode))?.wall ?? []);
  return [...built].map(([name, bundle]) => ({
    name,
    bytes: bundle.bytes,
    mapBytes: bundle.mapBytes,
    bytesRatio: round2(bundle.bytes / anchor.bytes),
    imports: Object.fromEntries(
      modes.map((mode) => {
        const wallMs = wallOf(name, mode);
        return [
          mode.name,
          {
            wallMs,
            cpuMs: spread(samples.get(key(name, mode))?.cpu ?? []),
            ratio: round2(wallMs.median / wallOf("anchor", mode).median),
          },
        ];
      }),
    ),
  }));
}
