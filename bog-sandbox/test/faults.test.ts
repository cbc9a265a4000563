import { describe, expect, it } from "vitest";
import {
  createOrder,
  get,
  post,
  requestToken,
  stats,
  token,
  validOrder,
} from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();

describe("sandbox fault injection", () => {
  it.each([503, 500, 502, 429])(
    "createOrder fails with %i exactly `count` times, creating nothing",
    async (code) => {
      const accessToken = await token(sandbox());
      const added = await post(sandbox(), "/_sandbox/faults", {
        target: "createOrder",
        status: code,
        count: 2,
      });
      expect(added.status).toBe(201);
      const answers = [];
      for (let i = 0; i < 3; i++)
        answers.push(await createOrder(sandbox(), accessToken, validOrder(receiver().url)));
      expect(answers.map((a) => a.status)).toEqual([code, code, 200]);
      if (code === 429 || code === 503) expect(answers[0]?.headers.get("retry-after")).toBe("1");
      expect(answers[0]?.body).toEqual({ message: `Sandbox fault: HTTP ${code}` });
      const counted = await stats(sandbox());
      expect(counted.createOrder).toBe(3);
      expect(counted.ordersCreated).toBe(1);
    },
  );

  it("a faulted request with an Idempotency-Key is not remembered: the retry creates the order", async () => {
    const accessToken = await token(sandbox());
    const key = { "idempotency-key": "9b2e5f0c-4d1a-4c3b-8e7f-6a5b4c3d2e1f" };
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503 });
    expect(
      (await createOrder(sandbox(), accessToken, validOrder(receiver().url), key)).status,
    ).toBe(503);
    expect(
      (await createOrder(sandbox(), accessToken, validOrder(receiver().url), key)).status,
    ).toBe(200);
  });

  it("a hang does the work and answers late: the caller times out, the retry gets the same order", async () => {
    const accessToken = await token(sandbox());
    const key = "c56a4180-65aa-42ec-a945-5fd21dec0538";
    await post(sandbox(), "/_sandbox/faults", { target: "createOrder", delayMs: 1500 });
    const timedOut = await fetch(`${sandbox().url}/payments/v1/ecommerce/orders`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${accessToken}`,
        "idempotency-key": key,
      },
      body: JSON.stringify(validOrder(receiver().url)),
      signal: AbortSignal.timeout(200),
    }).then(
      () => "answered",
      (error: Error) => error.name,
    );
    expect(timedOut).toBe("TimeoutError");
    expect((await stats(sandbox())).ordersCreated).toBe(1);
    const retry = await createOrder(sandbox(), accessToken, validOrder(receiver().url), {
      "idempotency-key": key,
    });
    expect(retry.status).toBe(200);
    expect((await stats(sandbox())).ordersCreated).toBe(1);
    expect((await get(sandbox(), `/_sandbox/orders/${retry.body.id}`)).status).toBe(200);
  });

  it("token and receipt faults", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "token", status: 503, count: 1 });
    expect((await requestToken(sandbox())).status).toBe(503);
    const accessToken = await token(sandbox());
    const created = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    await post(sandbox(), "/_sandbox/faults", { target: "receipt", status: 500, count: 1 });
    const auth = { authorization: `Bearer ${accessToken}` };
    expect((await get(sandbox(), `/payments/v1/receipt/${created.body.id}`, auth)).status).toBe(
      500,
    );
    expect((await get(sandbox(), `/payments/v1/receipt/${created.body.id}`, auth)).status).toBe(
      200,
    );
    expect(await stats(sandbox())).toMatchObject({ token: 2, receipt: 2 });
  });

  it("a status fault with a delay hangs, then fails", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "token", status: 502, delayMs: 300 });
    const started = Date.now();
    const answer = await requestToken(sandbox());
    expect(answer.status).toBe(502);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("a callback fault drops that many attempts; the retry delivers", async () => {
    const accessToken = await token(sandbox());
    const created = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    await post(sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 2 });
    const paid = await post(sandbox(), `/_sandbox/orders/${created.body.id}/pay`, {
      outcome: "completed",
    });
    expect(paid.body.callback).toMatchObject({
      delivered: false,
      httpStatus: 503,
      error: "injected fault: not sent",
    });
    await receiver().waitFor(1);
    await expect.poll(async () => (await stats(sandbox())).callbacksSent).toBe(1);
    expect((await stats(sandbox())).callbacksFailed).toBe(2);
    expect(receiver().received).toHaveLength(1);
  });

  it("faults are listed until used up, and a reset forgets them", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "receipt", status: 500, count: 3 });
    await post(sandbox(), "/_sandbox/faults", { target: "token", delayMs: 10 });
    expect((await get(sandbox(), "/_sandbox/faults")).body.faults).toHaveLength(2);
    await requestToken(sandbox());
    expect((await get(sandbox(), "/_sandbox/faults")).body.faults).toEqual([
      { target: "receipt", status: 500, delayMs: 0, count: 3, outcome: null },
    ]);
    await post(sandbox(), "/_sandbox/reset", {});
    expect((await get(sandbox(), "/_sandbox/faults")).body.faults).toEqual([]);
    expect(await stats(sandbox())).toEqual({
      token: 0,
      createOrder: 0,
      receipt: 0,
      refund: 0,
      approve: 0,
      cancel: 0,
      applePay: 0,
      saveCard: 0,
      cardOrder: 0,
      subscribe: 0,
      deleteCard: 0,
      callbacksSent: 0,
      callbacksFailed: 0,
      ordersCreated: 0,
    });
  });

  it.each([
    [{ target: "nothing", status: 500 }, "target must be one of"],
    [{ status: 500 }, "target must be one of"],
    [{ target: "token" }, "a fault needs a status, a delayMs, or both"],
    [{ target: "token", status: 99 }, "status must be an HTTP status code"],
    [{ target: "token", status: "500" }, "status must be an HTTP status code"],
    [{ target: "token", status: 500, count: 0 }, "count must be a whole number"],
    [{ target: "token", status: 500, count: 1.5 }, "count must be a whole number"],
    [{ target: "token", delayMs: -1 }, "delayMs must be a whole number"],
    [{ target: "token", delayMs: 10_000_000 }, "delayMs must be a whole number"],
    [[], "the body must be a JSON object"],
    ["{", "the body must be a JSON object"],
  ])("400 for the fault %j", async (body, message) => {
    const answer = await post(sandbox(), "/_sandbox/faults", body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
    expect((await get(sandbox(), "/_sandbox/faults")).body.faults).toEqual([]);
  });
});

describe("sandbox control endpoints", () => {
  it("changes runtime settings and a reset restores them", async () => {
    const changed = await post(sandbox(), "/_sandbox/config", {
      tokenLifetimeSeconds: 5,
      callbackTimeoutMs: 100,
    });
    expect(changed.body).toMatchObject({ tokenLifetimeSeconds: 5, callbackTimeoutMs: 100 });
    await post(sandbox(), "/_sandbox/reset", {});
    expect((await get(sandbox(), "/_sandbox/config")).body).toMatchObject({
      tokenLifetimeSeconds: 300,
    });
  });

  it.each([
    [{ tokenLifetimeSeconds: 0 }, "tokenLifetimeSeconds must be"],
    [{ expiresInFormat: "minutes" }, "expiresInFormat must be one of"],
    [{ callbackRetryDelaysMs: [-1] }, "callbackRetryDelaysMs must be"],
    [{ callbackRetryDelaysMs: "fast" }, "callbackRetryDelaysMs must be"],
    [{ callbackTimeoutMs: 1 }, "callbackTimeoutMs must be"],
    [{ tokenLifetime: 5 }, "unknown setting: tokenLifetime"],
  ])("400 for the setting %j", async (body, message) => {
    const answer = await post(sandbox(), "/_sandbox/config", body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
    expect((await get(sandbox(), "/_sandbox/config")).body).toMatchObject({
      tokenLifetimeSeconds: 300,
    });
  });

  it("the clock only moves forward", async () => {
    expect((await post(sandbox(), "/_sandbox/clock", { advanceSeconds: -5 })).status).toBe(400);
    expect((await post(sandbox(), "/_sandbox/clock", {})).status).toBe(400);
    const before = Date.parse((await get(sandbox(), "/_sandbox/clock")).body.now as string);
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 3600 });
    const after = Date.parse((await get(sandbox(), "/_sandbox/clock")).body.now as string);
    expect(after - before).toBeGreaterThanOrEqual(3600 * 1000);
  });

  it.each([
    [
      { outcome: "paid" },
      400,
      "outcome must be one of completed, rejected, processing, auth_requested",
    ],
    [{}, 400, "outcome must be one of completed, rejected, processing, auth_requested"],
    [{ outcome: "completed", paymentMethod: "cash" }, 400, "paymentMethod must be one of"],
  ])("pay refuses %j", async (body, code, message) => {
    const accessToken = await token(sandbox());
    const created = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    const answer = await post(sandbox(), `/_sandbox/orders/${created.body.id}/pay`, body);
    expect(answer.status).toBe(code);
    expect(answer.body.message).toContain(message);
    expect(
      (await get(sandbox(), `/_sandbox/orders/${created.body.id}`)).body.order_status,
    ).toMatchObject({
      key: "created",
    });
  });

  it("404 for control calls on an unknown order", async () => {
    const id = "3b241101-e2bb-4255-8caf-4136c566a962";
    expect(
      (await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" })).status,
    ).toBe(404);
    expect((await post(sandbox(), `/_sandbox/orders/${id}/refund`, {})).status).toBe(404);
    expect((await get(sandbox(), `/_sandbox/orders/${id}`)).status).toBe(404);
  });

  it("serves its public key as PEM", async () => {
    const answer = await get(sandbox(), "/_sandbox/public-key");
    expect(answer.text).toMatch(
      /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/,
    );
    expect(answer.text).toBe(sandbox().publicKeyPem);
  });
});
