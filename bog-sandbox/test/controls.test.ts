import { describe, expect, it } from "vitest";
import { createOrder, get, post, requestToken, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

/** The control endpoints that reach what a bank does rarely: README "Controls". */

const { sandbox, receiver } = useSandbox();

type Json = Record<string, unknown>;

async function order(overrides: Json = {}) {
  const accessToken = await token(sandbox());
  const created = await createOrder(sandbox(), accessToken, validOrder(receiver().url, overrides));
  expect(created.status).toBe(200);
  const id = created.body.id as string;
  // A fresh token per call: a test may move the sandbox's clock past a token's life.
  const auth = async () => ({ authorization: `Bearer ${await token(sandbox())}` });
  return {
    id,
    receipt: async () => (await get(sandbox(), `/payments/v1/receipt/${id}`, await auth())).body,
    operation: async (path: string, body: unknown = "") =>
      post(sandbox(), `/payments/v1/payment/${path}/${id}`, body, await auth()),
  };
}

const pay = (id: string, body: Json) => post(sandbox(), `/_sandbox/orders/${id}/pay`, body);
const HOLD = { capture: "manual", payment_method: ["card"] };

describe("tokenFormat", () => {
  it("opaque: an access token that is no JWT works as a Bearer token until it expires", async () => {
    expect((await post(sandbox(), "/_sandbox/config", { tokenFormat: "opaque" })).status).toBe(200);
    const { body } = await requestToken(sandbox());
    const accessToken = body.access_token as string;
    expect(accessToken.split(".")).toHaveLength(1);
    expect(body.expires_in).toBe(300);
    const ok = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    expect(ok.status).toBe(200);
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 301 });
    const late = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    expect(late.status).toBe(401);
    expect(late.body.message).toBe("Token expired");
  });

  it("jwt again after a reset; an unknown format is refused", async () => {
    await post(sandbox(), "/_sandbox/config", { tokenFormat: "opaque" });
    await post(sandbox(), "/_sandbox/reset", {});
    expect((await requestToken(sandbox())).body.access_token as string).toMatch(
      /^[^.]+\.[^.]+\.[^.]+$/,
    );
    const refused = await post(sandbox(), "/_sandbox/config", { tokenFormat: "paseto" });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe("tokenFormat must be one of jwt, opaque");
  });

  it("a made-up opaque token is refused", async () => {
    const made = await createOrder(sandbox(), "a".repeat(64), validOrder(receiver().url));
    expect(made.status).toBe(401);
  });
});

describe("expiresInValue", () => {
  it("is answered verbatim (the document's own example), and null restores the normal answer", async () => {
    await post(sandbox(), "/_sandbox/config", { expiresInValue: 1634719923245 });
    expect((await requestToken(sandbox())).body.expires_in).toBe(1634719923245);
    await post(sandbox(), "/_sandbox/config", { expiresInValue: null });
    expect((await requestToken(sandbox())).body.expires_in).toBe(300);
  });

  it.each([["60"], [true], [{}]])("refuses %j", async (value) => {
    const refused = await post(sandbox(), "/_sandbox/config", { expiresInValue: value });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      "expiresInValue must be a number (answered verbatim) or null",
    );
  });
});

describe("faults with outcome rejected", () => {
  it("a refund is accepted, then recorded rejected: status unchanged, nothing refunded, no callback", async () => {
    const o = await order();
    await pay(o.id, { outcome: "completed" });
    await receiver().waitFor(1);
    const fault = await post(sandbox(), "/_sandbox/faults", {
      target: "refund",
      outcome: "rejected",
    });
    expect(fault.status).toBe(201);
    const answer = await o.operation("refund", { amount: 5 });
    expect(answer.status).toBe(200);
    expect(answer.body.key).toBe("request_received");
    const receipt = await o.receipt();
    expect(receipt.order_status).toMatchObject({ key: "completed" });
    expect(receipt.purchase_units).toMatchObject({ transfer_amount: "28.0", refund_amount: null });
    expect(receipt.actions).toEqual([
      expect.objectContaining({
        action_id: answer.body.action_id,
        request_channel: "public_api",
        action: "partial_refund",
        status: "rejected",
        amount: "5.0",
      }),
    ]);
    // The fault is used up: the next refund goes through and is reported.
    expect((await get(sandbox(), "/_sandbox/faults")).body.faults).toEqual([]);
    await o.operation("refund", { amount: 5 });
    await receiver().waitFor(2);
    expect(receiver().received).toHaveLength(2);
  });

  it("approve and cancel likewise; a request the bank refuses does not use the fault up", async () => {
    const o = await order(HOLD);
    await pay(o.id, { outcome: "completed" });
    await post(sandbox(), "/_sandbox/faults", { target: "approve", outcome: "rejected" });
    await post(sandbox(), "/_sandbox/faults", { target: "cancel", outcome: "rejected" });
    expect((await o.operation("authorization/approve", { amount: 99 })).status).toBe(400);
    expect((await o.operation("authorization/approve", { amount: 20 })).status).toBe(200);
    expect((await o.operation("authorization/cancel")).status).toBe(200);
    const receipt = await o.receipt();
    expect(receipt.order_status).toMatchObject({ key: "blocked" });
    expect((receipt.actions as Json[]).map((a) => [a.action, a.status, a.amount])).toEqual([
      ["partial_authorize", "rejected", "20.0"],
      ["cancel_authorize", "rejected", "28.0"],
    ]);
  });

  it.each<[Json, string]>([
    [
      { target: "receipt", outcome: "rejected" },
      "outcome is for targets refund, approve, cancel only",
    ],
    [{ target: "refund", outcome: "completed" }, 'outcome must be "rejected"'],
    [
      { target: "refund", outcome: "rejected", status: 500 },
      "outcome goes without status and delayMs",
    ],
  ])("refuses %j", async (fault, message) => {
    const refused = await post(sandbox(), "/_sandbox/faults", fault);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(message);
  });
});

describe("pay outcomes processing and auth_requested", () => {
  it("processing: no callback, then a later pay completes it", async () => {
    const o = await order();
    const first = await pay(o.id, { outcome: "processing" });
    expect(first.body).toMatchObject({ status: "processing", callback: null });
    expect((await o.receipt()).order_status).toMatchObject({ key: "processing" });
    const second = await pay(o.id, { outcome: "completed" });
    expect(second.body).toMatchObject({ status: "completed" });
    expect(receiver().received).toHaveLength(1);
  });

  it("auth_requested: a hold's step before blocked; a later pay can decline it", async () => {
    const o = await order(HOLD);
    expect((await pay(o.id, { outcome: "auth_requested" })).body.status).toBe("auth_requested");
    expect((await pay(o.id, { outcome: "rejected" })).body.status).toBe("rejected");
  });

  it("auth_requested only for a hold, processing only for an automatic payment", async () => {
    const automatic = await order();
    const refused = await pay(automatic.id, { outcome: "auth_requested" });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("capture manual orders only");
    const hold = await order(HOLD);
    expect((await pay(hold.id, { outcome: "processing" })).status).toBe(400);
  });
});

describe("the 30-day release of a hold", () => {
  it("a hold is kept for 30 days to the second, then unblocked with no callback", async () => {
    const o = await order(HOLD);
    await pay(o.id, { outcome: "completed" });
    await receiver().waitFor(1);
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 30 * 86_400 - 1 });
    expect((await o.receipt()).order_status).toMatchObject({ key: "blocked" });
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 1 });
    const receipt = await o.receipt();
    expect(receipt).toMatchObject({
      order_status: { key: "rejected" },
      reject_reason: "expiration",
      purchase_units: { transfer_amount: "0.0" },
    });
    expect(receipt.actions).toEqual([
      expect.objectContaining({
        request_channel: "support",
        action: "cancel_authorize",
        status: "completed",
        amount: "28.0",
      }),
    ]);
    expect((await o.operation("authorization/approve")).status).toBe(400);
    expect(receiver().received).toHaveLength(1);
  });

  it("an approved hold is not released", async () => {
    const o = await order(HOLD);
    await pay(o.id, { outcome: "completed" });
    await o.operation("authorization/approve");
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 31 * 86_400 });
    expect((await o.receipt()).order_status).toMatchObject({ key: "completed" });
  });
});
