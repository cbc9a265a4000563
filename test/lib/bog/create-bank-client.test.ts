import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../support/paths.js";

/**
 * The budget says: code only some paths need is loaded on first use. Bundled the
 * way a Lambda is (esbuild, ESM), the entry that builds the bank client must not
 * contain the Secrets Manager client or the token-fetching code: they are separate
 * chunks, loaded by the dynamic import() the first time a token must be fetched.
 */
describe("lazy loading", () => {
  it("keeps Secrets Manager and token fetching out of the bank client's entry chunk", async () => {
    const result = await build({
      absWorkingDir: REPO_ROOT,
      entryPoints: ["lib/bog/create-bank-client.ts"],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      outdir: "/tmp/lazy-loading-check",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const outputs = Object.entries(result.metafile.outputs);
    const entry = outputs.find(
      ([, output]) => output.entryPoint === "lib/bog/create-bank-client.ts",
    );
    expect(entry).toBeDefined();
    const inputs = Object.keys(entry?.[1].inputs ?? {});
    expect(inputs.some((i) => i.includes("client-secrets-manager"))).toBe(false);
    expect(inputs).not.toContain("lib/bog/token-endpoint.ts");
    // …and they are in the bundle, as chunks of their own.
    const all = outputs.flatMap(([, output]) => Object.keys(output.inputs));
    expect(all.some((i) => i.includes("client-secrets-manager"))).toBe(true);
    expect(all).toContain("lib/bog/token-endpoint.ts");
  });
});
