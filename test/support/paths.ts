import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Genuine bank callbacks, byte for byte (test/lib/bog/callback-signature.test.ts holds their digests). */
export const VECTORS_DIR = resolve(REPO_ROOT, "test/fixtures/bog-callbacks");
