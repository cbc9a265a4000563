import { statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { BUNDLE } from "../../infra/bundling.js";
import { REPO_ROOT } from "../support/paths.js";

/**
 * Builds a bundle exactly as the stack's NodejsFunction does (infra/bundling.ts mapped
 * onto esbuild's API the way aws-lambda-nodejs maps it onto esbuild's command line:
 * `--bundle`, the project root as working directory, `index.mjs` for ESM), so the bench
 * measures what Lambda runs. test/infra/bundles.test.ts checks the bytes match.
 */
export interface BuiltBundle {
  file: string;
  bytes: number;
  mapBytes: number;
  /** Every source file in the bundle, relative to the repository. */
  inputs: string[];
}

export async function buildLikeTheStack(
  entry: string,
  outdir: string,
  /** The bench's "before" series only: without the credentials alias. */
  options: { alias?: boolean } = {},
): Promise<BuiltBundle> {
  const file = join(outdir, "index.mjs");
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    outfile: file,
    format: BUNDLE.format,
    target: BUNDLE.target,
    platform: BUNDLE.platform,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    mainFields: [...BUNDLE.mainFields],
    external: [...BUNDLE.external],
    alias: options.alias === false ? {} : { ...BUNDLE.alias },
    banner: { js: BUNDLE.banner },
    metafile: true,
    logLevel: "warning",
  });
  return {
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    inputs: Object.keys(result.metafile.inputs),
  };
}
