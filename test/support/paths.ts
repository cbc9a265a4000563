import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Genuine bank callbacks, copied byte for byte from shared/vectors/bog-callbacks. */
export const VECTORS_DIR = resolve(REPO_ROOT, "test/fixtures/bog-callbacks");

/**
 * The shared docs: beside the repo in development and CI (the tests need them there),
 * or where BOG_SHARED_DIR says (Stryker runs the tests in a copy of the repo).
 */
export const SHARED_DIR = process.env.BOG_SHARED_DIR || resolve(REPO_ROOT, "../shared");

/** The shared originals of the genuine callbacks. */
export const SHARED_VECTORS_DIR = resolve(SHARED_DIR, "vectors/bog-callbacks");
