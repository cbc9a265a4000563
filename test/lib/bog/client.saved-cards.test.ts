import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { parseCallbackEvent } from "../../../lib/bog/callback-event.js";
import type { BogClient, CreateOrderRequest } from "../../../lib/bog/client.js";
import { BankRejectedError, BankUnavailableError } from "../../../lib/errors.js";
import { get, post, stats } from "../../support/bank-calls.js";
import { container, forgetSharedToken, soon } from "../../support/bank-container.js";
import { useDynamoTables } from "../../support/dynamo-fixture.js";
import { useSandbox } from "../../support/sandbox-fixture.js";

/** The sandbox's saved cards, through the client: the bank's five calls and its refusals. */

const { sandbox, receiver } = useSandbox();
const tables = useDynamoTables();

beforeEach(async () => {
  await forgetSharedToken(sandbox(), tables());
});

const key = () => randomUUID();

function order(overrides: Partial<CreateOrderRequest> = {}): CreateOrderRequest {
  return {
    callbackUrl: receiver().url,
    externalOrderId: randomUUID(),
    currency: "GEL",
    total: 2800,
    basket: [
      { productId: "sku-cup", description: "Espresso cup", quantity: 2, unitPrice: 1250 },
      { productId: "sku-spoon", quantity: 1, unitPrice: 300 },
    ],
    ...overrides,
  };
}

/** An order whose card is saved as `type`, then paid on the page (unless `pay` is false). */
async function savedCard(
  client: BogClient,
  type: "recurrent" | "subscription",
  options: { pay?: boolean } = {},
) {
  const created = await client.createOrder(order(), { idempotencyKey: key(), deadline: soon() });
  await client.saveCard(created.bankOrderId, type, { idempotencyKey: key(), deadline: soon() });
  if (options.pay !== false) {
    const paid = await post(sandbox(), `/_sandbox/orders/${created.bankOrderId}/pay`, {
      outcome: "completed",
      cardType: "visa",
    });
    expect(paid.status).toBe(200);
  }
  return created.bankOrderId;
}

/** Waits until the sandbox reports `bankOrderId` in a final status. */
async function decided(client: BogClient, bankOrderId: string) {
  for (let i = 0; i < 200; i += 1) {
    const details = await client.getPaymentDetails(bankOrderId, { deadline: soon() });
    if (details.status !== "created") return details;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${bankOrderId} was never decided`);
}

describe("saved cards at the sandbox bank", () => {
  it("saves before payment; the paid order's details carry the saved card's type, mask and expiry", async () => {
    const { client } = container(sandbox(), tables());
    const parent = await savedCard(client, "recurrent");
    const details = await client.getPaymentDetails(parent, { deadline: soon() });
    expect(details).toMatchObject({
      status: "completed",
      savedCardType: "recurrent",
      parentOrderId: null,
      paymentOption: "direct_debit",
      card: { mask: expect.stringMatching(/^548888\*{3}\d{4}$/), type: "visa", expiry: "09/29" },
    });
  });

  it("refuses to save a card after the customer has paid", async () => {
    const { client } = container(sandbox(), tables());
    const created = await client.createOrder(order(), { idempotencyKey: key(), deadline: soon() });
    await post(sandbox(), `/_sandbox/orders/${created.bankOrderId}/pay`, { outcome: "completed" });
    const error = await client
      .saveCard(created.bankOrderId, "subscription", { idempotencyKey: key(), deadline: soon() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankRejectedError);
    expect((error as BankRejectedError).bankMessage).toContain("only before the payment");
    const details = await client.getPaymentDetails(created.bankOrderId, { deadline: soon() });
    expect(details.savedCardType).toBeNull();
  });

  it("a recurrent card: a new basket, confirmed on the page that shows the saved card", async () => {
    const { client } = container(sandbox(), tables());
    const parent = await savedCard(client, "recurrent");
    const parentCard = (await client.getPaymentDetails(parent, { deadline: soon() })).card;
    const child = await client.chargeSavedCard(
      parent,
      order({ total: 1250, basket: [{ productId: "refill", quantity: 1, unitPrice: 1250 }] }),
      { idempotencyKey: key(), deadline: soon() },
    );
    expect(child.redirectUrl).toBe(`${sandbox().url}/?order_id=${child.bankOrderId}`);
    const page = await get(sandbox(), `/?order_id=${child.bankOrderId}`);
    expect(page.text).toContain(parentCard?.mask ?? "no mask");
    await post(sandbox(), `/_sandbox/orders/${child.bankOrderId}/pay`, { outcome: "completed" });
    expect(await client.getPaymentDetails(child.bankOrderId, { deadline: soon() })).toMatchObject({
      status: "completed",
      requestAmount: 1250,
      parentOrderId: parent,
      savedCardType: "recurrent",
      paymentOption: "recurrent",
      card: parentCard,
    });
  });

  it("a subscription card: charged without the customer for the first amount, the outcome by callback", async () => {
    const { client } = container(sandbox(), tables());
    const parent = await savedCard(client, "subscription");
    const externalOrderId = randomUUID();
    const charge = await client.subscribe(
      parent,
      { callbackUrl: receiver().url, externalOrderId },
      { idempotencyKey: key(), deadline: soon() },
    );
    expect(charge.detailsUrl).toBe(`${sandbox().url}/payments/v1/receipt/${charge.bankOrderId}`);
    const details = await decided(client, charge.bankOrderId);
    expect(details).toMatchObject({
      status: "completed",
      requestAmount: 2800,
      currency: "GEL",
      externalOrderId,
      parentOrderId: parent,
      paymentOption: "subscription",
    });
    const callbacks = await receiver().waitFor(2);
    const last = parseCallbackEvent(callbacks[1]?.raw ?? Buffer.alloc(0));
    expect(last.ok && last.value.details.bankOrderId).toBe(charge.bankOrderId);
  });

  it("the subscriptionPayment fault declines an automatic charge; the card stays chargeable", async () => {
    const { client } = container(sandbox(), tables());
    const parent = await savedCard(client, "subscription");
    await post(sandbox(), "/_sandbox/faults", { target: "subscriptionPayment", status: 402 });
    const opts = () => ({ idempotencyKey: key(), deadline: soon() });
    const target = { callbackUrl: receiver().url, externalOrderId: randomUUID() };
    const declined = await client.subscribe(parent, target, opts());
    expect((await decided(client, declined.bankOrderId)).status).toBe("rejected");
    const next = await client.subscribe(parent, target, opts());
    expect((await decided(client, next.bankOrderId)).status).toBe("completed");
  });

  it("charges a card only as what it was saved for, once paid, never after deletion", async () => {
    const { client } = container(sandbox(), tables());
    const opts = () => ({ idempotencyKey: key(), deadline: soon() });
    const target = { callbackUrl: receiver().url, externalOrderId: randomUUID() };
    const refused = (call: Promise<unknown>) =>
      call.then(
        () => "charged",
        (e: unknown) => (e instanceof BankRejectedError ? e.bankMessage : String(e)),
      );
    const recurrent = await savedCard(client, "recurrent");
    expect(await refused(client.subscribe(recurrent, target, opts()))).toBe("Saved card not found");
    const unpaid = await savedCard(client, "subscription", { pay: false });
    expect(await refused(client.subscribe(unpaid, target, opts()))).toBe("Saved card not found");
    const subscription = await savedCard(client, "subscription");
    expect(await refused(client.chargeSavedCard(subscription, order(), opts()))).toBe(
      "Saved card not found",
    );
    await client.deleteSavedCard(subscription, opts());
    await client.deleteSavedCard(subscription, opts()); // a second delete is answered alike
    expect(await refused(client.subscribe(subscription, target, opts()))).toBe(
      "Saved card not found",
    );
  });

  it("a retried automatic charge with its key is one charge (the bank replays its answer)", async () => {
    const { client } = container(sandbox(), tables());
    const parent = await savedCard(client, "subscription");
    const before = (await stats(sandbox())).ordersCreated;
    const opts = { idempotencyKey: key(), deadline: soon() };
    const target = { callbackUrl: receiver().url, externalOrderId: randomUUID() };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => client.subscribe(parent, target, opts)),
    );
    expect(new Set(answers.map((a) => a.bankOrderId)).size).toBe(1);
    expect((await stats(sandbox())).ordersCreated - before).toBe(1);
  });

  it("save, charge and delete are retried on 503 with the same key, like create-order", async () => {
    const { client } = container(sandbox(), tables());
    const parent = await savedCard(client, "subscription");
    await post(sandbox(), "/_sandbox/faults", { target: "subscribe", status: 503, count: 2 });
    const before = await stats(sandbox());
    await client.subscribe(
      parent,
      { callbackUrl: receiver().url, externalOrderId: randomUUID() },
      { idempotencyKey: key(), deadline: soon() },
    );
    const after = await stats(sandbox());
    expect(after.subscribe - before.subscribe).toBe(3);
    expect(after.ordersCreated - before.ordersCreated).toBe(1);
    await post(sandbox(), "/_sandbox/faults", { target: "deleteCard", status: 503, count: 5 });
    const error = await client
      .deleteSavedCard(parent, { idempotencyKey: key(), deadline: soon() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnavailableError);
    expect(error).toMatchObject({ attempts: 3 });
  });

  it("the bank's requests: PUT and DELETE without a body, each with an Idempotency-Key", async () => {
    const { client } = container(sandbox(), tables());
    const parent = await savedCard(client, "recurrent", { pay: false });
    const put = await fetch(`${sandbox().url}/payments/v1/orders/${parent}/cards`, {
      method: "PUT",
      headers: { authorization: "Bearer nope" },
    });
    expect(put.status).toBe(401);
    const bad = await client
      .saveCard("not-an-order", "recurrent", { idempotencyKey: key(), deadline: soon() })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, bankMessage: "Invalid order_id" });
  });
});
