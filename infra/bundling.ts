/**
 * How every deployed function is bundled and started: one source of truth, read by
 * the stack (infra/payment-function.ts) and by `npm run bench`, so the bench measures
 * exactly what Lambda runs. Plain data, no CDK import: the bench loads it cheaply.
 */

/** esbuild settings, in esbuild's own terms (the stack maps them onto NodejsFunction). */
export const BUNDLE = {
  format: "esm",
  // Lambda's runtime is NODEJS_24_X: nothing is lowered for older Nodes.
  target: "node24",
  platform: "node",
  minify: true,
  // index.mjs.map is shipped beside the bundle (stack traces can be mapped with it).
  sourcemap: true,
  mainFields: ["module", "main"],
  // Bundle the AWS SDK too: the versions we tested are the versions that run.
  external: [] as string[],
  // Lambda gives credentials in the environment: the SDK's default chain (SSO, INI,
  // process, web identity, STS and their nested clients, ~128 KB) becomes env-only.
  // Only in the bundles; tests and `npm start` keep the SDK's own chain.
  alias: { "@aws-sdk/credential-provider-node": "./lib/aws/lambda-credentials.ts" },
  // ESM bundles of CommonJS dependencies need a require().
  banner:
    "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
} as const;

/**
 * The functions' NODE_OPTIONS, as the stack sets them (unset when empty). No
 * `--enable-source-maps`: parsing the map at every cold start cost more than it gives
 * (docs/benchmark.md); a stack trace is mapped afterwards with the shipped .map.
 */
export const RUNTIME_NODE_OPTIONS: string = "";

/** Every deployed function: the folders under functions/ whose index.ts is a handler. */
export const FUNCTION_NAMES = [
  "list-products",
  "create-order",
  "get-status",
  "callback",
  "merchant",
  "reconcile",
  "order-events",
  "webhook-sender",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];
