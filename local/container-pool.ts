import type { Context } from "aws-lambda";
import { lambdaContext } from "./lambda-events.js";

/**
 * One function's containers, as Lambda keeps them: a container takes one request at
 * a time; a request goes to an idle container if there is one, else to a new one
 * (a cold start: the handler module's init runs again), up to `maxContainers`; at
 * the cap it waits for a container to come free, for at most the function's
 * timeout. Each invocation gets its own context (its own awsRequestId), with the
 * function's whole timeout from the moment its container takes it.
 *
 * Unlike Lambda, idle containers are never reclaimed (there are at most the cap of
 * them), and the handler is not stopped at its timeout.
 */

export type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

export interface Invocation<R> {
  result: R;
  /** The container's number in its function, from 1 (as started). */
  container: number;
  /** The container's first invocation (Powertools logs it as `cold_start`). */
  coldStart: boolean;
  requestId: string;
}

export interface FunctionPool<E, R> {
  readonly name: string;
  invoke(event: E): Promise<Invocation<R>>;
  /** Starts one container ahead of any request; rejects with its init's error. */
  warm(): Promise<void>;
  /** Containers started and not failed at init. */
  size(): number;
}

/** Every container stayed busy for the function's whole timeout. */
export class NoContainerFreeError extends Error {
  constructor(functionName: string, maxContainers: number, waitedMs: number) {
    super(`${functionName}: all ${maxContainers} containers stayed busy for ${waitedMs} ms`);
    this.name = "NoContainerFreeError";
  }
}

/** The handler module's init failed: the container is gone, as in Lambda. */
export class ContainerInitError extends Error {
  constructor(functionName: string, cause: unknown) {
    super(
      `${functionName}: init failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "ContainerInitError";
  }
}

interface Container<E, R> {
  id: number;
  handler: Promise<LambdaHandler<E, R>>;
  invocations: number;
}

export function createFunctionPool<E, R>(options: {
  name: string;
  /** A fresh handler: the module's init, run anew for each container. */
  load: () => Promise<LambdaHandler<E, R>>;
  maxContainers: number;
  timeoutMs: number;
}): FunctionPool<E, R> {
  const { name, load, maxContainers, timeoutMs } = options;
  if (!Number.isInteger(maxContainers) || maxContainers < 1)
    throw new Error(`${name}: maxContainers must be a whole number ≥ 1, got ${maxContainers}`);
  let started = 0;
  let alive = 0;
  const idle: Container<E, R>[] = [];
  const waiting: Array<(claim: Container<E, R>) => void> = [];

  const start = (): Container<E, R> => {
    started += 1;
    alive += 1;
    const handler = load();
    // Awaited by whoever started it; this only keeps a failed init from also
    // counting as an unhandled rejection.
    handler.catch(() => undefined);
    return { id: started, handler, invocations: 0 };
  };

  /** A container comes free: the longest-waiting request takes it, else it idles. */
  const release = (container: Container<E, R>) => {
    const next = waiting.shift();
    if (next) next(container);
    else idle.push(container);
  };

  /** A container died at init: a waiting request gets a new one in its place. */
  const discard = () => {
    alive -= 1;
    const next = waiting.shift();
    if (next) next(start());
  };

  const claim = (): Promise<Container<E, R>> => {
    // The most recently freed first, so that a quiet function keeps its warm ones warm.
    const warm = idle.pop();
    if (warm) return Promise.resolve(warm);
    if (alive < maxContainers) return Promise.resolve(start());
    return new Promise((resolve, reject) => {
      const take = (claimed: Container<E, R>) => {
        clearTimeout(timer);
        resolve(claimed);
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(take), 1);
        reject(new NoContainerFreeError(name, maxContainers, timeoutMs));
      }, timeoutMs);
      waiting.push(take);
    });
  };

  return {
    name,
    size: () => alive,
    async warm() {
      if (alive >= maxContainers) return;
      const container = start();
      try {
        await container.handler;
      } catch (error) {
        discard();
        throw new ContainerInitError(name, error);
      }
      release(container);
    },
    async invoke(event) {
      const container = await claim();
      let handler: LambdaHandler<E, R>;
      try {
        handler = await container.handler;
      } catch (error) {
        discard();
        throw new ContainerInitError(name, error);
      }
      const context = lambdaContext(name, timeoutMs);
      container.invocations += 1;
      const coldStart = container.invocations === 1;
      try {
        const result = await handler(event, context);
        return { result, container: container.id, coldStart, requestId: context.awsRequestId };
      } finally {
        release(container);
      }
    },
  };
}
