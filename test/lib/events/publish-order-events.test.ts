import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import {
  type OrderEventPublisher,
  publishOrderEvents,
} from "../../../lib/events/publish-order-events.js";
import { captureOutput } from "../../support/stdout-capture.js";
import {
  CARD_ID,
  card,
  insert,
  modify,
  ORDER_ID,
  order,
  paid,
} from "../../support/stream-records.js";

/** A batch of stream records: what it logs and what it publishes. */

describe("a batch: what it logs and publishes", () => {
  const output = captureOutput({ echo: false });
  const log = () => new Logger({ serviceName: "test", logLevel: "DEBUG" });
  const lines = (message: string) => output.logLines().filter((l) => l.message === message);

  const completed = modify(order(), paid, "11");
  const cardSaved = insert(card(), "12");
  const unchanged = modify(paid, { ...paid, version: 4 }, "13");
  const poison = modify(order(), { ...paid, status: "" }, "14");

  it("published: one INFO line per event, naming it (an order by id, version and statuses; a card by id and event, no card data)", async () => {
    const failed = await publishOrderEvents([completed, cardSaved], {
      log: log(),
      publish: async (entries) => entries.map(() => null),
    });
    expect(failed).toEqual([]);
    const published = lines("event published");
    expect(published).toHaveLength(2);
    expect(published[0]).toMatchObject({
      orderId: ORDER_ID,
      version: 3,
      status: "completed",
      previousStatus: "created",
    });
    expect(published[1]).toMatchObject({ cardId: CARD_ID, event: "saved" });
    expect(published[1]).not.toHaveProperty("cardMask");
    expect(published[1]).not.toHaveProperty("customerRef");
  });

  it("refused: a WARN line with the event, its record and the bus's reason; an entry the bus did not answer says so", async () => {
    const failed = await publishOrderEvents([completed, cardSaved], {
      log: log(),
      publish: async () => ["ThrottlingException"],
    });
    expect(failed).toEqual(["11", "12"]);
    const warned = lines("event not published; retried");
    expect(warned).toEqual([
      expect.objectContaining({
        orderId: ORDER_ID,
        version: 3,
        recordId: "11",
        problem: "ThrottlingException",
        level: "WARN",
      }),
      expect.objectContaining({
        cardId: CARD_ID,
        recordId: "12",
        problem: "no answer for this entry",
      }),
    ]);
  });

  it("a publisher that throws: every entry's WARN names the error (or 'publish failed' for a thrown non-error)", async () => {
    await publishOrderEvents([completed], {
      log: log(),
      publish: async () => {
        throw Object.assign(new Error("x"), { name: "InternalException" });
      },
    });
    expect(lines("event not published; retried")[0]).toMatchObject({
      problem: "InternalException",
    });
    output.clear();
    const throwsText: OrderEventPublisher = () => Promise.reject("down");
    await publishOrderEvents([completed], { log: log(), publish: throwsText });
    expect(lines("event not published; retried")[0]).toMatchObject({ problem: "publish failed" });
  });

  it("a record that cannot be read: an ERROR line with its record, its kind and why; a record without a sequence number is named by its place", async () => {
    const { SequenceNumber: _, ...unnumbered } = poison.dynamodb ?? {};
    const failed = await publishOrderEvents([completed, { ...poison, dynamodb: unnumbered }], {
      log: log(),
      publish: async (entries) => entries.map(() => null),
    });
    expect(failed).toEqual(["#1"]);
    expect(lines("event: a stream record could not be read; retried, then dead-lettered")).toEqual([
      expect.objectContaining({
        level: "ERROR",
        recordId: "#1",
        eventName: "MODIFY",
        error: "the order's status is not a text",
      }),
    ]);
  });

  it("a batch with nothing to publish asks the bus nothing; the DEBUG line counts records, events, skips and failures", async () => {
    let asked = 0;
    const failed = await publishOrderEvents([unchanged, unchanged, poison], {
      log: log(),
      publish: async (entries) => {
        asked += 1;
        return entries.map(() => null);
      },
    });
    expect(asked).toBe(0);
    expect(failed).toEqual(["14"]);
    expect(lines("events batch")).toEqual([
      expect.objectContaining({ records: 3, events: 0, skipped: 2, failed: 1 }),
    ]);
  });
});
