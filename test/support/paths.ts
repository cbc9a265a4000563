import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Genuine bank callbacks, copied byte for byte from shared/vectors/bog-callbacks. */
export const VECTORS_DIR = resolve(REPO_ROOT, "test/fixtures/bog-callbacks");

/** The shared originals, present beside the repo in development and CI (not in a bare clone). */
export const SHARED_VECTORS_DIR = resolve(REPO_ROOT, "../shared/vectors/bog-callbacks");
export const sharedVectorsPresent = existsSync(SHARED_VECTORS_DIR);
