import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's own folder (bog-sandbox/). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Two genuine production callbacks of the bank (another merchant's), byte for byte. */
export const FIXTURES_DIR = resolve(PACKAGE_ROOT, "test/fixtures");
