import { describe, expect, it } from "vitest";
import { post, stats } from "../../support/bank-calls.js";
import { placedOrder, useFunctions } from "../../support/functions.js";

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "0" } });

const newOrder = () => placedOrder(fx);

describe("GET /orders/{orderId}", () => {
  it("answers the contract's fields and nothing else", async () => {
    const { orderId } = await newOrder();
    const { status, body, headers } = await fx.getOrder(orderId);
    expect(status).toBe(200);
    expect(headers["cache-control"]).toBe("no-store");
    expect(body).toEqual({
      orderId,
      status: "created",
      amount: "25.00",
      currency: "GEL",
      paymentMethod: null,
      rejectReason: null,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
  });

  it.each([
    ["an unknown order", "3b241101-e2bb-4255-8caf-4136c566a962"],
    ["not a UUID", "not-an-order"],
    ["an injection attempt", "x' OR '1'='1"],
  ])("404 order_not_found for %s, with no bank call", async (_case, orderId) => {
    const before = await stats(fx.sandbox());
    const { status, body } = await fx.getOrder(orderId);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: "order_not_found", message: "no order with that id" } });
    expect((await stats(fx.sandbox())).receipt).toBe(before.receipt);
  });

  it("repairs a lost callback: asks the bank when the status is not final", async () => {
    const { orderId, bankOrderId } = await newOrder();
    // Every callback attempt is lost on the way.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    expect((await fx.handlers().orders.get(orderId))?.status).toBe("created");
    const { body } = await fx.getOrder(orderId);
    expect(body).toMatchObject({ status: "completed", paymentMethod: "card" });
    // Final now: later polls do not ask the bank.
    const before = (await stats(fx.sandbox())).receipt;
    fx.counters.getStatus.reset();
    await fx.getOrder(orderId);
    expect((await stats(fx.sandbox())).receipt).toBe(before);
    expect(fx.counters.getStatus.calls).toEqual(["GetItemCommand"]);
  });

  it("the refresh path costs a read, the lookup lease, one bank request and the write", async () => {
    // A warm container: its token and the merchant's id are already known.
    const { orderId: warm } = await newOrder();
    await fx.getOrder(warm);
    const { orderId, bankOrderId } = await newOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    fx.counters.getStatus.reset();
    const before = await stats(fx.sandbox());
    const { body } = await fx.getOrder(orderId);
    expect(body).toMatchObject({ status: "completed" });
    expect(fx.counters.getStatus.calls).toEqual([
      "GetItemCommand",
      "UpdateItemCommand",
      "UpdateItemCommand",
    ]);
    const after = await stats(fx.sandbox());
    expect(after.receipt - before.receipt).toBe(1);
    expect(after.token - before.token).toBe(0);
  });

  it("a refresh that changes nothing: a read, the lease, one bank request, the refused write, the check mark", async () => {
    const { orderId: warm } = await newOrder();
    await fx.getOrder(warm);
    const { orderId } = await newOrder();
    fx.counters.getStatus.reset();
    const before = await stats(fx.sandbox());
    expect((await fx.getOrder(orderId)).body).toMatchObject({ status: "created" });
    // The conditional write finds nothing newer; then the order is marked checked.
    expect(fx.counters.getStatus.calls).toEqual([
      "GetItemCommand",
      "UpdateItemCommand",
      "UpdateItemCommand",
      "UpdateItemCommand",
    ]);
    expect((await stats(fx.sandbox())).receipt - before.receipt).toBe(1);
  });

  it("an expired order is reconciled as rejected (expiration)", async () => {
    // The bank's clock jumps 16 minutes; tokens must outlive the jump, as they would on real clocks.
    await post(fx.sandbox(), "/_sandbox/config", { tokenLifetimeSeconds: 3600 });
    const { orderId } = await newOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "callback", status: 503, count: 100 });
    await post(fx.sandbox(), "/_sandbox/clock", { advanceSeconds: 16 * 60 });
    const { body } = await fx.getOrder(orderId);
    expect(body).toMatchObject({ status: "rejected", rejectReason: "expiration" });
  });

  it("a bank that does not answer: the stored status, not an error", async () => {
    const { orderId } = await newOrder();
    await post(fx.sandbox(), "/_sandbox/faults", { target: "receipt", status: 503, count: 10 });
    const { status, body } = await fx.getOrder(orderId);
    expect(status).toBe(200);
    expect(body.status).toBe("created");
  });
});

describe("GET /orders/{orderId} with a fresh status", () => {
  const fresh = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });

  it("a stampede of polls makes one bank call", async () => {
    const { orderId } = await placedOrder(fresh);
    const before = (await stats(fresh.sandbox())).receipt;
    const answers = await Promise.all(Array.from({ length: 20 }, () => fresh.getOrder(orderId)));
    expect(answers.every((a) => a.status === 200 && a.body.status === "created")).toBe(true);
    expect((await stats(fresh.sandbox())).receipt - before).toBe(1);
  });

  it("one DynamoDB request and no bank call while the bank's word is recent", async () => {
    const { body } = await fresh.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
    const orderId = body.orderId as string;
    await fresh.getOrder(orderId); // first poll asks the bank
    const before = (await stats(fresh.sandbox())).receipt;
    fresh.counters.getStatus.reset();
    await fresh.getOrder(orderId);
    expect(fresh.counters.getStatus.calls).toEqual(["GetItemCommand"]);
    expect((await stats(fresh.sandbox())).receipt).toBe(before);
  });
});
