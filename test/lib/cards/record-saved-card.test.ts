import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import type { PaymentDetails } from "../../../lib/bog/payment-details.js";
import type { Card } from "../../../lib/cards/card.js";
import type { CardStore } from "../../../lib/cards/card-store.js";
import { recordSavedCard } from "../../../lib/cards/record-saved-card.js";
import type { Order } from "../../../lib/orders/model/order.js";
import { captureOutput } from "../../support/stdout-capture.js";

/**
 * When the bank's word about a payment makes a saved card's record, and what the record
 * holds.
 */

const output = captureOutput({ echo: false });

describe("the card record the bank's word makes", () => {
  const ORDER = {
    orderId: "0e5d2b7a-8d1b-4b55-9a47-3f1f5d4c6a01",
    status: "completed",
    bankOrderId: "bank-1",
    amount: 3000,
    currency: "GEL",
    saveCard: { type: "subscription", customerRef: "cust-1" },
  } as unknown as Order;
  const DETAILS = {
    bankOrderId: "bank-1",
    savedCardType: "subscription",
    card: { mask: "548888***5592", type: "mc", expiry: "09/31" },
  } as unknown as PaymentDetails;

  /** A store that keeps what it is given: the repository itself is tested against DynamoDB Local. */
  const storeOf = (created: boolean) => {
    const cards: Card[] = [];
    const store = {
      create: async (card: Card) => {
        cards.push(card);
        return created;
      },
    } as unknown as CardStore;
    return { store, cards };
  };
  const deps = (store: CardStore) => ({
    cards: store,
    log: new Logger({ serviceName: "test", logLevel: "INFO" }),
    now: () => Date.parse("2026-05-01T10:00:00Z"),
  });

  it("a paid order that asked to save its card: the card, from the order and the bank, logged once", async () => {
    const { store, cards } = storeOf(true);
    const card = await recordSavedCard(ORDER, DETAILS, deps(store));
    expect(card).toEqual({
      cardId: ORDER.orderId,
      customerRef: "cust-1",
      type: "subscription",
      cardMask: "548888***5592",
      cardType: "mc",
      expiry: "09/31",
      createdAt: "2026-05-01T10:00:00Z",
      parentBankOrderId: "bank-1",
      amount: 3000,
      currency: "GEL",
      deletedAt: null,
    });
    expect(cards).toEqual([card]);
    expect(output.logLines().filter((l) => l.message === "card saved")).toEqual([
      expect.objectContaining({ level: "INFO", cardId: ORDER.orderId, type: "subscription" }),
    ]);
  });

  it("a card already recorded: not again, and no line", async () => {
    const { store } = storeOf(false);
    expect(await recordSavedCard(ORDER, DETAILS, deps(store))).toBeNull();
    expect(output.logLines().filter((l) => l.message === "card saved")).toEqual([]);
  });

  it("the bank's word about another bank order makes no card", async () => {
    const { store, cards } = storeOf(true);
    const other = { ...DETAILS, bankOrderId: "bank-2" };
    expect(await recordSavedCard(ORDER, other, deps(store))).toBeNull();
    expect(cards).toEqual([]);
  });

  it("a payment the bank did not save the card of: no card, and a warning that says so (without card data)", async () => {
    const { store, cards } = storeOf(true);
    const unsaved = { ...DETAILS, savedCardType: null };
    expect(await recordSavedCard(ORDER, unsaved, deps(store))).toBeNull();
    expect(cards).toEqual([]);
    const warned = output
      .logLines()
      .filter(
        (l) =>
          l.message === "a payment that was to save a card completed without the bank saving it",
      );
    expect(warned).toEqual([expect.objectContaining({ level: "WARN", orderId: ORDER.orderId })]);
    expect(JSON.stringify(warned)).not.toContain("5592");
  });
});
