import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { get, post, stats } from "../../support/bank-calls.js";
import { useFunctions } from "../../support/functions.js";
import { idempotencyKey, merchantCreate, merchantOperation } from "../../support/merchant-calls.js";

/**
 * The merchant API (docs/merchant-api.md), driven as API Gateway would route it, against
 * DynamoDB Local and the sandbox; the sandbox's callbacks arrive over HTTP.
 */

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });

const BASKET = {
  reference: "shop-order-1042",
  currency: "GEL",
  items: [
    { productId: "mug", description: "Mug", quantity: 2, unitPrice: "10.00" },
    { productId: "tea", description: "Tea", quantity: 1, unitPrice: "5.00" },
  ],
};

const key = idempotencyKey;
const create = (body: unknown = BASKET, headers?: Record<string, string>) =>
  merchantCreate(fx, body, headers);

async function show(orderId: string, query?: string) {
  return fx.merchant("GET /merchant/orders/{orderId}", {
    path: `/merchant/orders/${orderId}`,
    pathParameters: { orderId },
    query,
  });
}

const operate = (
  orderId: string,
  kind: "refund" | "capture" | "void",
  body?: unknown,
  headers?: Record<string, string>,
) => merchantOperation(fx, orderId, kind, body, headers);

async function list(query = "") {
  return fx.merchant("GET /merchant/orders", { path: "/merchant/orders", query });
}

async function bankOrderOf(orderId: string): Promise<string> {
  const detail = await show(orderId);
  return detail.body.bankOrderId as string;
}

/** A merchant order, paid at the bank (the callback arrives over HTTP). */
async function paid(body: unknown = BASKET, paymentMethod = "card") {
  const created = await create(body);
  expect(created.status).toBe(201);
  const orderId = created.body.orderId as string;
  const bankOrderId = await bankOrderOf(orderId);
  const pay = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
    outcome: "completed",
    paymentMethod,
  });
  expect(pay.status).toBe(200);
  return { orderId, bankOrderId };
}

describe("POST /merchant/orders", () => {
  it("the shop's own basket and prices: 201 with its reference; totals computed here and sent to the bank", async () => {
    const answer = await create({ ...BASKET, delivery: "3.00", metadata: { customer: "c-7" } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: "created",
      amount: "28.00",
      currency: "GEL",
      reference: "shop-order-1042",
      redirectUrl: expect.any(String),
    });
    const detail = await show(answer.body.orderId as string);
    expect(detail.body).toMatchObject({
      reference: "shop-order-1042",
      metadata: { customer: "c-7" },
      delivery: "3.00",
      items: [
        { productId: "mug", quantity: 2, unitPrice: "10.00", lineTotal: "20.00" },
        { productId: "tea", quantity: 1, unitPrice: "5.00", lineTotal: "5.00" },
      ],
      history: [
        expect.objectContaining({ status: "pending", source: "api" }),
        expect.objectContaining({ status: "created", source: "api" }),
      ],
      operations: [],
    });
    const bank = await get(fx.sandbox(), `/_sandbox/orders/${detail.body.bankOrderId}`);
    const units = bank.body.purchase_units as { request_amount: string };
    expect(Number(units.request_amount)).toBe(28);
  });

  it.each([
    ["a total it did not compute", { ...BASKET, total: "1.00" }],
    ["a price as a JSON number", { ...BASKET, items: [{ ...BASKET.items[0], unitPrice: 10 }] }],
    ["three decimals", { ...BASKET, items: [{ ...BASKET.items[0], unitPrice: "1.005" }] }],
    ["a fractional quantity", { ...BASKET, items: [{ ...BASKET.items[0], quantity: 1.5 }] }],
    ["an unknown currency", { ...BASKET, currency: "JPY" }],
    ["no items", { ...BASKET, items: [] }],
    ["a reference over 64 characters", { ...BASKET, reference: "r".repeat(65) }],
    [
      "21 metadata pairs",
      {
        ...BASKET,
        metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])),
      },
    ],
    ["a plain-http result page", { ...BASKET, successUrl: "http://shop.example/ok" }],
    ["the same product twice", { ...BASKET, items: [BASKET.items[0], BASKET.items[0]] }],
  ])("%s: 400, nothing stored or sent", async (_case, body) => {
    const before = await stats(fx.sandbox());
    const answer = await create(body);
    expect(answer.status).toBe(400);
    expect((answer.body.error as { code: string }).code).toBe("invalid_request");
    expect((await stats(fx.sandbox())).createOrder).toBe(before.createOrder);
  });

  it("requires an Idempotency-Key; the same key and body is the same order; another body is 409", async () => {
    const missing = await create(BASKET, {});
    expect(missing.status).toBe(400);
    const headers = key();
    const first = await create(BASKET, headers);
    const again = await create(BASKET, headers);
    expect(again.body).toEqual(first.body);
    const other = await create({ ...BASKET, reference: "another" }, headers);
    expect(other.status).toBe(409);
    expect((other.body.error as { code: string }).code).toBe("idempotency_conflict");
  });
});

describe("GET /merchant/orders", () => {
  it("newest first, a page at a time through an opaque cursor, filtered by reference and status", async () => {
    const reference = `list-${randomUUID()}`;
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await create({ ...BASKET, reference });
      made.push(answer.body.orderId as string);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // distinct createdAt seconds
    }
    const byReference = await list(`reference=${reference}&limit=2`);
    expect(byReference.status).toBe(200);
    const page1 = byReference.body.orders as Array<{ orderId: string }>;
    expect(page1.map((o) => o.orderId)).toEqual([made[2], made[1]]);
    const next = byReference.body.nextCursor as string;
    const page2 = await list(`reference=${reference}&limit=2&cursor=${next}`);
    expect((page2.body.orders as Array<{ orderId: string }>).map((o) => o.orderId)).toEqual([
      made[0],
    ]);
    expect(page2.body.nextCursor).toBeNull();

    const all = await list("limit=100");
    const ids = (all.body.orders as Array<{ orderId: string; createdAt: string }>).map(
      (o) => o.orderId,
    );
    expect(ids.indexOf(made[2] as string)).toBeLessThan(ids.indexOf(made[0] as string));
    const created = await list("status=created&limit=100");
    const statuses = (created.body.orders as Array<{ status: string }>).map((o) => o.status);
    expect(new Set(statuses)).toEqual(new Set(["created"]));
  });

  it("walks every order of a status with the cursor, each once, across the shards", async () => {
    const made = new Set<string>();
    for (let i = 0; i < 7; i += 1) {
      const { orderId } = await paid({ ...BASKET, reference: `walk-${i}` });
      made.add(orderId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(
        `status=completed&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      const orders = page.body.orders as Array<{ orderId: string; createdAt: string }>;
      expect(orders.length).toBeLessThanOrEqual(3);
      seen.push(...orders.map((o) => o.orderId));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of made) expect(seen).toContain(id);
  });

  it.each([
    ["status=paid", "query.status"],
    ["limit=0", "query.limit"],
    ["limit=101", "query.limit"],
    ["from=yesterday", "query.from"],
    ["cursor=not-ours", "query.cursor"],
    ["colour=red", "query.colour"],
  ])("%s: 400 naming %s", async (query, path) => {
    const answer = await list(query);
    expect(answer.status).toBe(400);
    expect((answer.body.error as { details: Array<{ path: string }> }).details[0]?.path).toBe(path);
  });
});

describe("GET /merchant/orders/{orderId}", () => {
  it("an unknown or malformed id: 404", async () => {
    expect((await show(randomUUID())).status).toBe(404);
    expect((await show("not-a-uuid")).status).toBe(404);
  });

  it("?refresh=true asks the bank first", async () => {
    const created = await create();
    const orderId = created.body.orderId as string;
    const bankOrderId = await bankOrderOf(orderId);
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect((await show(orderId)).body.status).toBe("created");
    const refreshed = await show(orderId, "refresh=true");
    expect(refreshed.body.status).toBe("completed");
    expect(refreshed.body.history).toContainEqual(
      expect.objectContaining({ status: "completed", source: "merchant" }),
    );
  });
});

describe("refunds", () => {
  it("a partial refund: 202 requested, then the bank's callback settles it", async () => {
    const { orderId } = await paid();
    const answer = await operate(orderId, "refund", { amount: "5.00", reason: "broken mug" });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      operationId: expect.any(String),
      kind: "refund",
      amount: "5.00",
      state: "requested",
    });
    const detail = await show(orderId);
    expect(detail.body).toMatchObject({ status: "refunded_partially", refundedAmount: "5.00" });
    expect(detail.body.operations).toEqual([
      expect.objectContaining({
        operationId: answer.body.operationId,
        kind: "refund",
        amount: "5.00",
        state: "completed",
        source: "merchant",
        note: "broken mug",
      }),
    ]);
  });

  it("no amount: all that is left", async () => {
    const { orderId } = await paid();
    await operate(orderId, "refund", { amount: "5.00" });
    const rest = await operate(orderId, "refund");
    expect(rest.body).toMatchObject({ amount: "20.00" });
    expect((await show(orderId)).body).toMatchObject({
      status: "refunded",
      refundedAmount: "25.00",
    });
  });

  it("20 concurrent partial refunds never exceed what was paid", async () => {
    const { orderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 1000 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => operate(orderId, "refund", { amount: "2.00" })),
    );
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted.length).toBe(12); // 12 × 2.00 ≤ 25.00 < 13 × 2.00
    for (const refused of answers.filter((a) => a.status !== 202)) {
      expect(refused.status).toBe(409);
    }
    const bank = await get(fx.sandbox(), `/_sandbox/orders/${await bankOrderOf(orderId)}`);
    const units = bank.body.purchase_units as { refund_amount: string };
    expect(Number(units.refund_amount)).toBe(24);
  });

  it.each([["more than is left", { amount: "25.01" }, "amount_exceeds_balance"]])(
    "%s: 409 %s, nothing sent to the bank",
    async (_case, body, code) => {
      const { orderId } = await paid();
      const answer = await operate(orderId, "refund", body);
      expect(answer.status).toBe(409);
      expect((answer.body.error as { code: string }).code).toBe(code);
      expect((await show(orderId)).body.operations).toEqual([]);
    },
  );

  it("an unpaid order: 409 invalid_state", async () => {
    const created = await create();
    const answer = await operate(created.body.orderId as string, "refund", { amount: "1.00" });
    expect((answer.body.error as { code: string }).code).toBe("invalid_state");
  });

  it("a partial refund of a payment the bank refunds only in full: 409 partial_not_allowed", async () => {
    const { orderId } = await paid(BASKET, "bog_p2p");
    const answer = await operate(orderId, "refund", { amount: "1.00" });
    expect((answer.body.error as { code: string }).code).toBe("partial_not_allowed");
    const full = await operate(orderId, "refund");
    expect(full.status).toBe(202);
  });

  it("the bank refuses: 409 bank_rejected with its message, the amount released", async () => {
    const { orderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "refund", status: 400, count: 1 });
    const refused = await operate(orderId, "refund", { amount: "25.00" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "bank_rejected" });
    expect((await show(orderId)).body.operations).toEqual([
      expect.objectContaining({ state: "rejected", bankMessage: expect.any(String) }),
    ]);
    expect((await operate(orderId, "refund", { amount: "25.00" })).status).toBe(202);
  });

  it("the same key again: the same operation, one bank refund", async () => {
    const { orderId } = await paid();
    const headers = key();
    const first = await operate(orderId, "refund", { amount: "3.00" }, headers);
    const again = await operate(orderId, "refund", { amount: "3.00" }, headers);
    expect(again.body.operationId).toBe(first.body.operationId);
    const other = await operate(orderId, "refund", { amount: "4.00" }, headers);
    expect(other.status).toBe(409);
    expect((await show(orderId)).body.refundedAmount).toBe("3.00");
  });

  it("a refund made in the bank's Business Manager appears as an operation of its own, from the bank", async () => {
    const { orderId, bankOrderId } = await paid();
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/refund`, { amount: "4.00" });
    const detail = await show(orderId);
    expect(detail.body).toMatchObject({ status: "refunded_partially", refundedAmount: "4.00" });
    expect(detail.body.operations).toEqual([
      expect.objectContaining({
        kind: "refund",
        amount: "4.00",
        state: "completed",
        source: "bank",
      }),
    ]);
    expect(
      (await operate(orderId, "refund", { amount: "21.01" })).body.error as { code: string },
    ).toMatchObject({ code: "amount_exceeds_balance" });
  });
});

describe("capture and void of a pre-authorization", () => {
  const manual = { ...BASKET, capture: "manual", paymentMethods: ["card"] };

  it("capture part: partial_completed with the captured amount", async () => {
    const { orderId } = await paid(manual);
    expect((await show(orderId)).body.status).toBe("blocked");
    const answer = await operate(orderId, "capture", { amount: "10.00" });
    expect(answer.status).toBe(202);
    const detail = await show(orderId);
    expect(detail.body).toMatchObject({ status: "partial_completed", capturedAmount: "10.00" });
    expect(detail.body.operations).toEqual([
      expect.objectContaining({ kind: "capture", amount: "10.00", state: "completed" }),
    ]);
    const twice = await operate(orderId, "capture", { amount: "1.00" });
    expect((twice.body.error as { code: string }).code).toBe("invalid_state");
    const refundTooMuch = await operate(orderId, "refund", { amount: "10.01" });
    expect((refundTooMuch.body.error as { code: string }).code).toBe("amount_exceeds_balance");
  });

  it("capture more than authorized: 409 amount_exceeds_balance", async () => {
    const { orderId } = await paid(manual);
    const answer = await operate(orderId, "capture", { amount: "25.01" });
    expect((answer.body.error as { code: string }).code).toBe("amount_exceeds_balance");
  });

  it("void: the hold is released, rejected", async () => {
    const { orderId } = await paid(manual);
    const answer = await operate(orderId, "void", { description: "out of stock" });
    expect(answer.status).toBe(202);
    const detail = await show(orderId);
    expect(detail.body.status).toBe("rejected");
    expect(detail.body.operations).toEqual([
      expect.objectContaining({ kind: "void", state: "completed", note: "out of stock" }),
    ]);
  });

  it("capture or void of an order that is not blocked: 409 invalid_state", async () => {
    const { orderId } = await paid();
    for (const kind of ["capture", "void"] as const) {
      const answer = await operate(orderId, kind);
      expect((answer.body.error as { code: string }).code).toBe("invalid_state");
    }
  });
});

describe("history", () => {
  it("keeps the newest 100 changes, and the version counts them all", async () => {
    const { orderId, bankOrderId } = await paid();
    const before = await fx.handlers().orders.get(orderId);
    const orders = fx.handlers().orders;
    for (let i = 1; i <= 105; i += 1) {
      const result = await orders.applyBankState(
        orderId,
        {
          bankOrderId,
          status: "refunded_partially",
          paymentMethod: "card",
          rejectReason: null,
          refundAmount: i,
          currency: "GEL",
          requestAmount: 2500,
          transferAmount: null,
          discount: null,
        },
        Date.now(),
        new Date().toISOString().slice(0, 19).concat("Z"),
        { adopt: false, source: "callback" },
      );
      expect(result.outcome).toBe("applied");
    }
    const after = await orders.get(orderId);
    expect(after?.history).toHaveLength(100);
    expect(after?.version).toBe((before?.version ?? 0) + 105);
    expect(after?.history.at(-1)).toMatchObject({
      status: "refunded_partially",
      source: "callback",
    });
    expect(after?.history[0]?.status).toBe("refunded_partially");
  });
});

describe("round trips", () => {
  it("a refund: one read, two writes, one bank call", async () => {
    const { orderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await operate(orderId, "refund", { amount: "1.00" }); // warm: the container's token
    fx.counters.merchant.reset();
    const before = await stats(fx.sandbox());
    expect((await operate(orderId, "refund", { amount: "2.00" })).status).toBe(202);
    expect(fx.counters.merchant.calls).toEqual([
      "GetItemCommand",
      "TransactWriteItemsCommand",
      "UpdateItemCommand",
    ]);
    expect((await stats(fx.sandbox())).refund - before.refund).toBe(1);
  });

  it("a page of the list: one query per shard, or one by reference", async () => {
    fx.counters.merchant.reset();
    await list("limit=5");
    expect(fx.counters.merchant.calls).toEqual(Array(8).fill("QueryCommand"));
    fx.counters.merchant.reset();
    await list("reference=shop-order-1042&limit=5");
    expect(fx.counters.merchant.calls).toEqual(["QueryCommand"]);
  });

  it("the bank timing out: 503; the retry with the same key reaches the same bank refund", async () => {
    const { orderId, bankOrderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "refund", status: 503, count: 3 });
    const headers = key();
    const failed = await operate(orderId, "refund", { amount: "5.00" }, headers);
    expect(failed.status).toBe(503);
    const retried = await operate(orderId, "refund", { amount: "5.00" }, headers);
    expect(retried.status).toBe(202);
    const detail = await show(orderId);
    expect(detail.body.operations).toHaveLength(1);
    const bank = await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`);
    const units = bank.body.purchase_units as { refund_amount: string };
    expect(Number(units.refund_amount)).toBe(5);
  });
});

describe("races, refusals and the detail's fields", () => {
  it("concurrent refunds: only those within the balance reach the bank", async () => {
    const { orderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 1000 });
    const before = (await stats(fx.sandbox())).refund;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => operate(orderId, "refund", { amount: "2.00" })),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(12);
    expect(
      answers.filter((a) => a.status === 409).map((a) => (a.body.error as { code: string }).code),
    ).toEqual(Array(8).fill("amount_exceeds_balance"));
    expect((await stats(fx.sandbox())).refund - before).toBe(12);
  });

  it("the same key sent 10 times at once: one bank refund", async () => {
    const { orderId, bankOrderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "refund", delayMs: 1000, count: 1 });
    const before = (await stats(fx.sandbox())).refund;
    const headers = key();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => operate(orderId, "refund", { amount: "5.00" }, headers)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(new Set(answers.map((a) => a.body.operationId)).size).toBe(1);
    expect((await stats(fx.sandbox())).refund - before).toBe(1);
    const bank = await get(fx.sandbox(), `/_sandbox/orders/${bankOrderId}`);
    expect(Number((bank.body.purchase_units as { refund_amount: string }).refund_amount)).toBe(5);
  });

  it("concurrent capture and void: one wins, one bank call", async () => {
    const { orderId } = await paid({ ...BASKET, capture: "manual", paymentMethods: ["card"] });
    const before = await stats(fx.sandbox());
    const [c, v] = await Promise.all([operate(orderId, "capture"), operate(orderId, "void")]);
    expect([c.status, v.status].sort()).toEqual([202, 409]);
    expect([c, v].find((a) => a.status === 409)?.body.error).toMatchObject({
      code: "invalid_state",
    });
    const after = await stats(fx.sandbox());
    expect(after.approve - before.approve + (after.cancel - before.cancel)).toBe(1);
  });

  it("the detail shows exactly the documented fields", async () => {
    const { orderId } = await paid();
    await operate(orderId, "refund", { amount: "1.00" });
    const detail = await show(orderId);
    expect(Object.keys(detail.body).sort()).toEqual(
      [
        "amount",
        "anomalies",
        "bankOrderId",
        "capture",
        "capturedAmount",
        "chargedAmount",
        "createdAt",
        "currency",
        "delivery",
        "discount",
        "expiresAt",
        "history",
        "items",
        "metadata",
        "operations",
        "options",
        "orderId",
        "paymentMethod",
        "reference",
        "refundedAmount",
        "rejectReason",
        "status",
        "updatedAt",
      ].sort(),
    );
    for (const op of detail.body.operations as object[])
      expect(Object.keys(op).sort()).toEqual(
        [
          "amount",
          "bankMessage",
          "kind",
          "note",
          "operationId",
          "requestedAt",
          "source",
          "state",
          "updatedAt",
        ].sort(),
      );
    expect(JSON.stringify(detail.body)).not.toMatch(
      /requestHash|idempotencyKey|refundCommitted|authorizationDecision|bankActionId|redirectUrl|bankCallUntil/,
    );
  });

  it("a full refund of an unpaid order: 409 invalid_state, nothing sent", async () => {
    const created = await create();
    const before = (await stats(fx.sandbox())).refund;
    const answer = await operate(created.body.orderId as string, "refund");
    expect((answer.body.error as { code: string }).code).toBe("invalid_state");
    expect((await stats(fx.sandbox())).refund).toBe(before);
  });

  it("a capture above the authorization is refused here, not by the bank", async () => {
    const { orderId } = await paid({ ...BASKET, capture: "manual", paymentMethods: ["card"] });
    const before = (await stats(fx.sandbox())).approve;
    const answer = await operate(orderId, "capture", { amount: "25.01" });
    expect((answer.body.error as { code: string }).code).toBe("amount_exceeds_balance");
    expect((await stats(fx.sandbox())).approve).toBe(before);
  });

  it("a refused retry of a refused refund: 409, never a 500", async () => {
    const { orderId } = await paid();
    await post(fx.sandbox(), "/_sandbox/faults", {
      target: "refund",
      status: 400,
      delayMs: 600,
      count: 5,
    });
    const headers = key();
    const first = operate(orderId, "refund", { amount: "5.00" }, headers);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await operate(orderId, "refund", { amount: "5.00" }, headers);
    expect((await first).status).toBe(409);
    expect([202, 409]).toContain(second.status);
  });

  it("a Business Manager capture of part of a hold: what was paid is what was captured", async () => {
    const { orderId, bankOrderId } = await paid({
      ...BASKET,
      capture: "manual",
      paymentMethods: ["card"],
    });
    const { client } = { client: fx.handlers().bank };
    await client.approvePreauthorization(bankOrderId, {
      idempotencyKey: randomUUID(),
      deadline: Date.now() + 10_000,
      amount: 1000,
    });
    const detail = await show(orderId, "refresh=true");
    expect(detail.body).toMatchObject({ status: "partial_completed", capturedAmount: "10.00" });
    const over = await operate(orderId, "refund", { amount: "10.01" });
    expect((over.body.error as { code: string }).code).toBe("amount_exceeds_balance");
  });

  it.each([
    ["from after to", "from=2025-02-01&to=2025-01-01", "query.from"],
    [
      "a forged cursor position",
      `cursor=${Buffer.from('{"all#0":"~~~~"}').toString("base64url")}`,
      "query.cursor",
    ],
  ])("%s: 400, never a 500", async (_case, query, path) => {
    const answer = await list(query);
    expect(answer.status).toBe(400);
    expect((answer.body.error as { details: Array<{ path: string }> }).details[0]?.path).toBe(path);
  });

  it("a cursor from one filter is refused with another", async () => {
    await paid({ ...BASKET, reference: "cursor-a" });
    await paid({ ...BASKET, reference: "cursor-a" });
    const page = await list("status=completed&limit=1");
    const cursor = page.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    expect((await list(`status=completed&limit=1&cursor=${cursor}`)).status).toBe(200);
    expect((await list(`limit=1&cursor=${cursor}`)).status).toBe(400);
  });

  it("an unknown field inside buyer is refused", async () => {
    const answer = await create({ ...BASKET, buyer: { fullName: "A", email: "x@y" } });
    expect(answer.status).toBe(400);
  });
});
