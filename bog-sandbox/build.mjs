// `npm pack` runs this (prepack): plain JavaScript for Node 20+, no runtime dependency.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const here = new URL(".", import.meta.url).pathname;
rmSync(`${here}dist`, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  absWorkingDir: here,
  logLevel: "warning",
};
await build({
  ...common,
  entryPoints: ["src/cli.ts"],
  outfile: "dist/cli.js",
  // The source's own `#!/usr/bin/env node` line is kept by esbuild.
});
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js" });
