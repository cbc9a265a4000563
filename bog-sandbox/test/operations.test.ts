import { describe, expect, it } from "vitest";
import { createOrder, get, post, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();

/** An order of 28.00 GEL, paid by `method` when `outcome` is given. */
async function order(options: { capture?: "manual"; paidWith?: string } = {}) {
  const accessToken = await token(sandbox());
  const created = await createOrder(
    sandbox(),
    accessToken,
    validOrder(
      receiver().url,
      // The document: capture manual only for card, Google Pay and Apple Pay payments.
      options.capture ? { capture: options.capture, payment_method: ["card"] } : {},
    ),
  );
  const id = created.body.id as string;
  if (options.paidWith) {
    const paid = await post(sandbox(), `/_sandbox/orders/${id}/pay`, {
      outcome: "completed",
      paymentMethod: options.paidWith,
    });
    expect(paid.status).toBe(200);
  }
  const auth = { authorization: `Bearer ${accessToken}` };
  return {
    id,
    call: (operation: string, body?: unknown, headers: Record<string, string> = {}) =>
      post(sandbox(), `/payments/v1/payment/${operation}/${id}`, body ?? "", {
        ...auth,
        ...headers,
      }),
    receipt: async () => (await get(sandbox(), `/payments/v1/receipt/${id}`, auth)).body,
  };
}

const status = (receipt: Record<string, unknown>) => (receipt.order_status as { key: string }).key;
const units = (receipt: Record<string, unknown>) =>
  receipt.purchase_units as Record<string, unknown>;

describe("sandbox refunds", () => {
  it("a full refund (no body) moves completed → refunded, with an action and a callback", async () => {
    const o = await order({ paidWith: "card" });
    const answer = await o.call("refund");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ key: "request_received", action_id: expect.any(String) });
    const receipt = await o.receipt();
    expect(status(receipt)).toBe("refunded");
    expect(units(receipt)).toMatchObject({ transfer_amount: "0.0", refund_amount: "28.0" });
    expect(receipt.actions).toEqual([
      expect.objectContaining({
        action: "refund",
        status: "completed",
        amount: "28.0",
        request_channel: "public_api",
      }),
    ]);
    const callbacks = await receiver().waitFor(2);
    expect(JSON.parse(callbacks[1]?.raw.toString("utf8") ?? "{}").body.order_status.key).toBe(
      "refunded",
    );
  });

  it("partial refunds move to refunded_partially, then to refunded when all is back", async () => {
    const o = await order({ paidWith: "google_pay" });
    expect((await o.call("refund", { amount: 8.5 })).status).toBe(200);
    expect(status(await o.receipt())).toBe("refunded_partially");
    expect(units(await o.receipt())).toMatchObject({
      transfer_amount: "19.5",
      refund_amount: "8.5",
    });
    const tooMuch = await o.call("refund", { amount: 19.51 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.message).toContain("exceeds the refundable amount 19.50");
    expect((await o.call("refund", { amount: 19.5 })).status).toBe(200);
    expect(status(await o.receipt())).toBe("refunded");
    expect((await o.call("refund")).status).toBe(400);
  });

  it("partial refunds only for card, Apple Pay and Google Pay", async () => {
    const o = await order({ paidWith: "bog_p2p" });
    const partial = await o.call("refund", { amount: 1 });
    expect(partial.status).toBe(400);
    expect(partial.body.message).toContain(
      "Partial refund is not available for payment method bog_p2p",
    );
    expect((await o.call("refund")).status).toBe(200);
  });

  it.each([
    ["an unpaid order", {}, undefined, "Refund is not allowed for an order in status created"],
    ["amount 0", { paidWith: "card" }, { amount: 0 }, "amount must be a number greater than 0"],
    ["a string amount", { paidWith: "card" }, { amount: "5" }, "amount must be a number"],
    ["three decimals", { paidWith: "card" }, { amount: 1.005 }, "at most two decimal places"],
  ] as const)("400 for %s", async (_case, setup, body, message) => {
    const o = await order(setup);
    const answer = await o.call("refund", body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
  });

  it("a repeated Idempotency-Key refunds once", async () => {
    const o = await order({ paidWith: "card" });
    const key = { "idempotency-key": "1b4e28ba-2fa1-41d2-883f-0016d3cca427" };
    const first = await o.call("refund", { amount: 5 }, key);
    const second = await o.call("refund", { amount: 5 }, key);
    expect(second.text).toBe(first.text);
    expect(units(await o.receipt()).refund_amount).toBe("5.0");
  });

  it("400 Invalid order_id for an unknown order", async () => {
    const accessToken = await token(sandbox());
    const answer = await post(
      sandbox(),
      "/payments/v1/payment/refund/3b241101-e2bb-4255-8caf-4136c566a962",
      "",
      {
        authorization: `Bearer ${accessToken}`,
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ message: "Invalid order_id" });
  });

  it("the control endpoint refunds with a decimal string, as from Business Manager", async () => {
    const o = await order({ paidWith: "card" });
    const answer = await post(sandbox(), `/_sandbox/orders/${o.id}/refund`, { amount: "5.00" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: "refunded_partially",
      callback: { delivered: true },
    });
    const receipt = await o.receipt();
    expect((receipt.actions as Array<Record<string, string>>)[0]).toMatchObject({
      action: "partial_refund",
      request_channel: "business_manager",
    });
    expect((await post(sandbox(), `/_sandbox/orders/${o.id}/refund`, { amount: 5 })).status).toBe(
      400,
    );
    expect((await post(sandbox(), `/_sandbox/orders/${o.id}/refund`, {})).body.status).toBe(
      "refunded",
    );
  });
});

describe("sandbox pre-authorization (capture: manual)", () => {
  it("pay blocks the amount; approve completes it", async () => {
    const o = await order({ capture: "manual", paidWith: "card" });
    expect(status(await o.receipt())).toBe("blocked");
    const approved = await o.call("authorization/approve");
    expect(approved.status).toBe(200);
    expect(approved.body.key).toBe("request_received");
    const receipt = await o.receipt();
    expect(status(receipt)).toBe("completed");
    expect((receipt.actions as Array<Record<string, string>>)[0]).toMatchObject({
      action: "authorize",
      amount: "28.0",
    });
    const events = (await receiver().waitFor(2)).map(
      (c) => JSON.parse(c.raw.toString("utf8")).body.order_status.key,
    );
    expect(events).toEqual(["blocked", "completed"]);
  });

  it("a partial approve moves to partial_completed and captures that amount", async () => {
    const o = await order({ capture: "manual", paidWith: "card" });
    expect(
      (await o.call("authorization/approve", { amount: 20, description: "partial" })).status,
    ).toBe(200);
    const receipt = await o.receipt();
    expect(status(receipt)).toBe("partial_completed");
    expect(units(receipt).transfer_amount).toBe("20.0");
    expect((await o.call("authorization/approve", { amount: 1 })).status).toBe(400);
    expect((await o.call("refund", { amount: 20 })).status).toBe(200);
    expect(status(await o.receipt())).toBe("refunded");
  });

  it("cancel releases the amount and ends rejected", async () => {
    const o = await order({ capture: "manual", paidWith: "card" });
    expect((await o.call("authorization/cancel", { description: "out of stock" })).status).toBe(
      200,
    );
    const receipt = await o.receipt();
    expect(status(receipt)).toBe("rejected");
    expect(units(receipt).transfer_amount).toBe("0.0");
    expect((await o.call("authorization/cancel")).status).toBe(400);
  });

  it.each([
    ["approve an automatic-capture order", { paidWith: "card" }, "authorization/approve"],
    ["cancel an automatic-capture order", { paidWith: "card" }, "authorization/cancel"],
    ["approve an unpaid manual order", { capture: "manual" }, "authorization/approve"],
  ] as const)("400 to %s", async (_case, setup, operation) => {
    const o = await order(setup);
    const answer = await o.call(operation);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/not allowed for an order in status/);
  });

  it("approve above the blocked amount is refused", async () => {
    const o = await order({ capture: "manual", paidWith: "card" });
    const answer = await o.call("authorization/approve", { amount: 28.01 });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain("exceeds the authorized amount 28.00");
  });
});

describe("paths the sandbox cannot decode", () => {
  it.each(["%E0%A4%A", "%zz"])("an order id %s is an unknown order, never a 500", async (id) => {
    const answer = await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    expect(answer.status).toBe(404);
  });
});
