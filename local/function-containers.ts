import type { APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import type { Functions, LambdaResult } from "./api-server.js";
import { createFunctionPool, type LambdaHandler } from "./container-pool.js";

/**
 * The API's functions as containers of the very modules Lambda loads
 * (functions/<name>/index.ts). A new container imports its module anew (a query on
 * the file URL makes it another module instance), so the module-scope wiring runs
 * again: its own DynamoDB client, bank token cache in memory, logger, as a cold start
 * in AWS does. What those modules import from lib/ is loaded once and shared; it
 * holds no per-container state (the state is in the objects index.ts builds).
 */

/** Every fresh import in this process gets a URL never used before. */
let imports = 0;

async function freshHandler<E>(specifier: string): Promise<LambdaHandler<E, LambdaResult>> {
  imports += 1;
  const url = new URL(specifier, import.meta.url);
  url.searchParams.set("container", String(imports));
  const module = (await import(url.href)) as { handler: LambdaHandler<E, LambdaResult> };
  return module.handler;
}

/** The deployed functions' timeout (infra/payment-function.ts). */
const FUNCTION_TIMEOUT_MS = 15_000;

/**
 * The pools, each with one container started, so that a missing or malformed setting
 * stops `npm start` at once, naming it, instead of failing the first request.
 * Call it after the functions' environment is set.
 */
export async function startFunctions(maxContainers: number): Promise<Functions> {
  const pool = <E>(name: string, module: string) =>
    createFunctionPool<E, LambdaResult>({
      name,
      load: () => freshHandler<E>(module),
      maxContainers,
      timeoutMs: FUNCTION_TIMEOUT_MS,
    });
  const functions: Functions = {
    listProducts: pool<APIGatewayProxyEventV2>(
      "list-products",
      "../functions/list-products/index.js",
    ),
    createOrder: pool<APIGatewayProxyEventV2>("create-order", "../functions/create-order/index.js"),
    getStatus: pool<APIGatewayProxyEventV2>("get-status", "../functions/get-status/index.js"),
    merchant: pool<APIGatewayProxyEventV2>("merchant", "../functions/merchant/index.js"),
    callback: pool<LambdaFunctionURLEvent>("callback", "../functions/callback/index.js"),
  };
  await Promise.all(Object.values(functions).map((f) => f.warm()));
  return functions;
}
