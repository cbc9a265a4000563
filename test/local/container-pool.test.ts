import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, LambdaFunctionURLEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createApiServer, type Functions, type LambdaResult } from "../../local/api-server.js";
import {
  ContainerInitError,
  createFunctionPool,
  type LambdaHandler,
  NoContainerFreeError,
} from "../../local/container-pool.js";
import { readMaxContainers } from "../../local/max-containers.js";

/**
 * The local adapter's containers, with handlers whose every invocation the test
 * finishes by hand: which container takes a request, when a new one starts, and what
 * happens at the cap.
 */

/** A handler module's stand-in: each load is one container's init, counted. */
function modules() {
  let inits = 0;
  /** The invocations in flight, by container (init number). */
  const inFlight = new Map<number, number>();
  let mostAtOnce = 0;
  const pending: Array<{ finish: () => void; requestId: string; remainingMs: number }> = [];
  const load = async (): Promise<LambdaHandler<string, string>> => {
    inits += 1;
    const container = inits;
    return async (event, context) => {
      const now = (inFlight.get(container) ?? 0) + 1;
      inFlight.set(container, now);
      mostAtOnce = Math.max(mostAtOnce, now);
      await new Promise<void>((finish) =>
        pending.push({
          finish,
          requestId: context.awsRequestId,
          remainingMs: context.getRemainingTimeInMillis(),
        }),
      );
      inFlight.set(container, (inFlight.get(container) ?? 1) - 1);
      return `${event} by container ${container}`;
    };
  };
  return {
    load,
    inits: () => inits,
    /** Most invocations one container ever had at once. */
    mostAtOnce: () => mostAtOnce,
    pending,
    /** Finishes every invocation in flight. */
    finishAll: () => {
      for (const p of pending.splice(0)) p.finish();
    },
    /** Lets the pool hand invocations to handlers. */
    settle: () => new Promise((resolve) => setTimeout(resolve, 10)),
  };
}

describe("a function's containers", () => {
  it("a request goes to an idle container: one init for requests one after another", async () => {
    const m = modules();
    const pool = createFunctionPool({
      name: "f",
      load: m.load,
      maxContainers: 10,
      timeoutMs: 1000,
    });
    const first = pool.invoke("a");
    await m.settle();
    m.finishAll();
    expect(await first).toMatchObject({
      result: "a by container 1",
      container: 1,
      coldStart: true,
    });
    const second = pool.invoke("b");
    await m.settle();
    m.finishAll();
    expect(await second).toMatchObject({
      result: "b by container 1",
      container: 1,
      coldStart: false,
    });
    expect(m.inits()).toBe(1);
    expect(pool.size()).toBe(1);
  });

  it("one request at a time per container: a new container (a fresh init) while the others are busy", async () => {
    const m = modules();
    const pool = createFunctionPool({
      name: "f",
      load: m.load,
      maxContainers: 10,
      timeoutMs: 1000,
    });
    const calls = ["a", "b", "c"].map((e) => pool.invoke(e));
    await m.settle();
    expect(m.pending).toHaveLength(3);
    m.finishAll();
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.container).sort()).toEqual([1, 2, 3]);
    expect(answers.every((a) => a.coldStart)).toBe(true);
    expect(m.inits()).toBe(3);
    expect(m.mostAtOnce()).toBe(1);
  });

  it("each invocation has its own context: a distinct awsRequestId, the function's whole timeout", async () => {
    const m = modules();
    const pool = createFunctionPool({
      name: "f",
      load: m.load,
      maxContainers: 2,
      timeoutMs: 15_000,
    });
    const calls = ["a", "b", "c", "d"].map((e) => pool.invoke(e));
    for (let i = 0; i < 4; i++) {
      await m.settle();
      m.finishAll();
    }
    const answers = await Promise.all(calls);
    expect(new Set(answers.map((a) => a.requestId)).size).toBe(4);
  });

  it("at the cap a request waits for a container to come free, and starts no new one", async () => {
    const m = modules();
    const pool = createFunctionPool({ name: "f", load: m.load, maxContainers: 2, timeoutMs: 5000 });
    const calls = ["a", "b", "c", "d", "e"].map((e) => pool.invoke(e));
    await m.settle();
    expect(m.pending).toHaveLength(2);
    // Each round frees the busy containers; the waiting requests take them.
    while (m.pending.length > 0) {
      m.finishAll();
      await m.settle();
    }
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.result.slice(0, 1))).toEqual(["a", "b", "c", "d", "e"]);
    expect(m.inits()).toBe(2);
    expect(pool.size()).toBe(2);
    expect(m.mostAtOnce()).toBe(1);
    // A waiting request's timeout runs from when its container takes it.
    expect(m.pending).toHaveLength(0);
  });

  it("at the cap for the whole timeout: NoContainerFreeError, and the busy one finishes unharmed", async () => {
    const m = modules();
    const pool = createFunctionPool({ name: "f", load: m.load, maxContainers: 1, timeoutMs: 50 });
    const busy = pool.invoke("a");
    const refused = await pool.invoke("b").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NoContainerFreeError);
    expect((refused as Error).message).toBe("f: all 1 containers stayed busy for 50 ms");
    m.finishAll();
    expect((await busy).result).toBe("a by container 1");
    // The refused request never ran; the container is free for the next.
    const next = pool.invoke("c");
    await m.settle();
    expect(m.pending).toHaveLength(1);
    m.finishAll();
    expect((await next).container).toBe(1);
    expect(m.inits()).toBe(1);
  });

  it("warm() starts a container ahead of requests; a failed init fails it and leaves no container", async () => {
    const m = modules();
    const pool = createFunctionPool({
      name: "f",
      load: m.load,
      maxContainers: 10,
      timeoutMs: 1000,
    });
    await pool.warm();
    expect(m.inits()).toBe(1);
    const first = pool.invoke("a");
    await m.settle();
    m.finishAll();
    expect(await first).toMatchObject({ container: 1, coldStart: true });
    expect(m.inits()).toBe(1);

    let attempts = 0;
    const broken = createFunctionPool<string, string>({
      name: "broken",
      load: async () => {
        attempts += 1;
        throw new Error("ORDERS_TABLE is not set");
      },
      maxContainers: 1,
      timeoutMs: 1000,
    });
    await expect(broken.warm()).rejects.toThrow("broken: init failed: ORDERS_TABLE is not set");
    expect(broken.size()).toBe(0);
    // As in Lambda, the next request gets a new container, whose init runs again.
    const error = await broken.invoke("a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerInitError);
    expect(attempts).toBe(2);
    expect(broken.size()).toBe(0);
  });

  it("the adapter answers a request no container took in time as API Gateway does: 503", async () => {
    const m = modules();
    const pool = <E>(name: string) =>
      createFunctionPool<E, LambdaResult>({
        name,
        load: async () => {
          const handler = await m.load();
          return async (_event, context) => {
            await handler(name, context);
            return { statusCode: 200, body: "{}" };
          };
        },
        maxContainers: 1,
        timeoutMs: 100,
      });
    const functions: Functions = {
      listProducts: pool<APIGatewayProxyEventV2>("list-products"),
      createOrder: pool<APIGatewayProxyEventV2>("create-order"),
      getStatus: pool<APIGatewayProxyEventV2>("get-status"),
      merchant: pool<APIGatewayProxyEventV2>("merchant"),
      callback: pool<LambdaFunctionURLEvent>("callback"),
    };
    const lines: string[] = [];
    const server = createApiServer(functions, {
      shopOrigins: ["http://shop.example"],
      log: (line) => lines.push(line),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const busy = fetch(`${base}/products`);
      await m.settle();
      const refused = await fetch(`${base}/products`, {
        headers: { origin: "http://shop.example" },
      });
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ message: "Service Unavailable" });
      expect(refused.headers.get("access-control-allow-origin")).toBe("http://shop.example");
      m.finishAll();
      expect((await busy).status).toBe(200);
      expect(lines).toContain(
        "GET /products → 503 (list-products: all 1 containers stayed busy for 100 ms)",
      );
      expect(lines).toContain("GET /products → 200 (list-products container 1, cold start)");
    } finally {
      m.finishAll();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("LOCAL_MAX_CONTAINERS", () => {
  it("defaults to 10; a whole number from 1 to 1000, else one clear error", () => {
    expect(readMaxContainers({})).toBe(10);
    expect(readMaxContainers({ LOCAL_MAX_CONTAINERS: " " })).toBe(10);
    expect(readMaxContainers({ LOCAL_MAX_CONTAINERS: "3" })).toBe(3);
    for (const raw of ["0", "-1", "2.5", "ten", "1001"])
      expect(() => readMaxContainers({ LOCAL_MAX_CONTAINERS: raw })).toThrow(
        `LOCAL_MAX_CONTAINERS must be a whole number from 1 to 1000, got "${raw}"`,
      );
  });
});
