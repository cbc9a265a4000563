import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderEventsHandler } from "../../../functions/order-events/app.js";
import { readOpenApi } from "../../../infra/openapi/document.js";
import { DocumentSchemas } from "../../../infra/openapi/schema-validator.js";
import { keyOf } from "../../../lib/webhooks/signing-secrets.js";
import { lambdaContext } from "../../../local/lambda-events.js";
import { type OrderStream, startOrderStream } from "../../../local/order-stream.js";
import { createLocalOrderBus, type LocalOrderBus } from "../../../local/order-webhook.js";
import { startWebhookOutbox } from "../../../local/webhook-outbox.js";
import { post } from "../../support/bank-calls.js";
import { type CallbackReceiver, startCallbackReceiver } from "../../support/callback-receiver.js";
import { quietLogger, useFunctions } from "../../support/functions.js";
import { verifiedEvent } from "../../support/webhook-verify.js";

/**
 * Card events (`Card Saved`, `Card Deleted`) end to end, with the code that runs in
 * AWS and in `npm start`: the merchant function saves and deletes cards in DynamoDB
 * Local (the sandbox pays, its callbacks arrive over HTTP), the orders table's stream
 * is read as the event source mapping reads it (its filters), into the order-events
 * handler, whose local bus POSTs each event's detail to a webhook receiver.
 */

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "60" } });
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const schemas = new DocumentSchemas(readOpenApi());

let hook: CallbackReceiver;
let bus: LocalOrderBus;
let stream: OrderStream;
const lines: string[] = [];

beforeAll(async () => {
  hook = await startCallbackReceiver();
  const outbox = await startWebhookOutbox({
    endpoint: fx.tables().endpoint,
    tableName: `webhook-outbox-${randomUUID()}`,
    send: { url: hook.url, keys: [keyOf(SECRET)], retryScale: 0.00003 },
    log: (line) => lines.push(line),
  });
  bus = createLocalOrderBus({
    webhook: { url: hook.url, outbox },
    log: (line) => lines.push(line),
  });
  const handler = orderEventsHandler({ publish: bus.publish, log: quietLogger() });
  stream = await startOrderStream({
    endpoint: fx.tables().endpoint,
    tableName: fx.tables().orders,
    handler: (event) => handler(event, lambdaContext("order-events")),
    log: (line) => lines.push(line),
    pollMs: 50,
  });
});
afterAll(async () => {
  await stream?.stop();
  await bus?.stop();
  await hook?.close();
});

const BASKET = {
  currency: "GEL",
  items: [{ productId: "box", description: "Coffee box", quantity: 1, unitPrice: "30.00" }],
};

const key = () => ({ "idempotency-key": randomUUID() });

type Body = Record<string, unknown>;

const bodies = (): Body[] => hook.received.map((r) => JSON.parse(r.raw.toString("utf8")) as Body);
const cardEventsOf = (cardId: string) =>
  bodies().filter((b) => b.cardId === cardId && !("orderId" in b));

async function waitFor(what: () => boolean, label: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!what()) {
    if (Date.now() > deadline)
      throw new Error(`${label} never arrived (log: ${lines.slice(-5).join(" / ")})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Whatever else the stream would bring has time to arrive (and fail the test).
  await new Promise((resolve) => setTimeout(resolve, 400));
  await bus.idle();
}

async function saveCard(customerRef: string, pay: Body = {}): Promise<string> {
  const created = await fx.merchant("POST /merchant/orders", {
    path: "/merchant/orders",
    body: { ...BASKET, saveCard: "subscription", customerRef },
    headers: key(),
  });
  expect(created.status).toBe(201);
  const orderId = created.body.orderId as string;
  const bankOrderId = new URL(created.body.redirectUrl as string).searchParams.get("order_id");
  const paid = await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, {
    outcome: "completed",
    ...pay,
  });
  expect(paid.status).toBe(200);
  return orderId;
}

const remove = (cardId: string) =>
  fx.merchant("DELETE /merchant/cards/{cardId}", {
    path: `/merchant/cards/${cardId}`,
    pathParameters: { cardId },
  });

describe("card events to the bus and the shop's webhook", () => {
  it("a saved card: one Card Saved with the bank's mask, type and expiry; deleted: one Card Deleted; each fits openapi.yaml", async () => {
    const cardId = await saveCard("cust-events-1", { cardType: "visa", cardExpiry: "07/31" });
    await waitFor(() => cardEventsOf(cardId).length >= 1, "Card Saved");
    const [listed] = (
      await fx.merchant("GET /merchant/customers/{customerRef}/cards", {
        path: "/merchant/customers/cust-events-1/cards",
        pathParameters: { customerRef: "cust-events-1" },
      })
    ).body.cards as Body[];
    expect(cardEventsOf(cardId)).toEqual([
      {
        event: "saved",
        cardId,
        customerRef: "cust-events-1",
        type: "subscription",
        cardMask: listed?.cardMask,
        cardType: "visa",
        expiry: "07/31",
        occurredAt: listed?.createdAt,
      },
    ]);
    expect(listed?.cardMask).toMatch(/^\d{6}\*+\d{4}$/);

    expect((await remove(cardId)).status).toBe(204);
    await waitFor(() => cardEventsOf(cardId).length >= 2, "Card Deleted");
    const [saved, deleted] = cardEventsOf(cardId);
    expect(deleted).toEqual({
      ...saved,
      event: "deleted",
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    for (const body of cardEventsOf(cardId))
      expect(schemas.problems("#/components/schemas/CardEvent", body)).toEqual([]);
    const cardDeliveries = hook.received.filter((r) => {
      const body = JSON.parse(r.raw.toString("utf8")) as Body;
      return body.cardId === cardId && "event" in body;
    });
    expect(cardDeliveries.length).toBeGreaterThanOrEqual(2);
    for (const r of cardDeliveries) {
      expect(verifiedEvent(SECRET, r)).toEqual(JSON.parse(r.raw.toString("utf8")));
      expect(r.headers["webhook-id"]).toMatch(new RegExp(`^card_${cardId}_(saved|deleted)$`));
    }
    // Logged by id, never with the card's mask or expiry, nor the customer.
    const logged = lines.filter((l) => l.startsWith(`card ${cardId}`));
    expect(logged).toEqual([
      `card ${cardId} saved (subscription) → ${hook.url}`,
      `card ${cardId} deleted (subscription) → ${hook.url}`,
    ]);
  });

  it("a charge of the card is an order like any other; the card itself has no further event", async () => {
    const cardId = await saveCard("cust-events-2");
    await waitFor(() => cardEventsOf(cardId).length >= 1, "Card Saved");
    const charged = await fx.merchant("POST /merchant/cards/{cardId}/charges", {
      path: `/merchant/cards/${cardId}/charges`,
      pathParameters: { cardId },
      body: {},
      headers: key(),
    });
    expect(charged.status).toBe(201);
    const orderId = charged.body.orderId as string;
    await waitFor(
      () => bodies().some((b) => b.orderId === orderId && b.status === "completed"),
      "the charge's completed",
    );
    expect(cardEventsOf(cardId).map((b) => b.event)).toEqual(["saved"]);
  });

  it("a declined first payment saves no card and publishes no card event", async () => {
    const created = await fx.merchant("POST /merchant/orders", {
      path: "/merchant/orders",
      body: { ...BASKET, saveCard: "recurrent", customerRef: "cust-events-3" },
      headers: key(),
    });
    const orderId = created.body.orderId as string;
    const bankOrderId = new URL(created.body.redirectUrl as string).searchParams.get("order_id");
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "rejected" });
    await waitFor(
      () => bodies().some((b) => b.orderId === orderId && b.status === "rejected"),
      "the order's rejected",
    );
    expect(cardEventsOf(orderId)).toEqual([]);
  });
});
