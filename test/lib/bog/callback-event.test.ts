import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCallbackEvent } from "../../../lib/bog/callback-event.js";
import { VECTORS_DIR } from "../../support/paths.js";

/** A callback's body, read only after its signature verified: what it says, or why not. */

const genuine = readFileSync(join(VECTORS_DIR, "callback-1.body.json"));
const bytes = (text: string) => Buffer.from(text, "utf8");

describe("a callback's body", () => {
  it("a genuine callback is a payment event with its time and details", () => {
    const parsed = parseCallbackEvent(genuine);
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        event: "order_payment",
        zonedRequestTime: "2024-08-21T12:18:09.116694Z",
        details: { bankOrderId: "6f9dfd88-0c1f-493f-a8b9-0bb7ae1810cb", status: "completed" },
      },
    });
  });

  it.each([
    ["missing", {}],
    ["not text", { zoned_request_time: 1724242689 }],
  ])("a request time %s is none", (_case, extra) => {
    const body = { order_id: "b-1", order_status: { key: "completed" } };
    const parsed = parseCallbackEvent(
      bytes(JSON.stringify({ event: "order_payment", body, ...extra })),
    );
    expect(parsed).toMatchObject({ ok: true, value: { zonedRequestTime: null } });
  });

  it.each([
    ["not JSON", bytes("{not json"), "the body is not UTF-8 JSON"],
    [
      "JSON that is not UTF-8",
      Buffer.concat([
        bytes('{"event":"order_payment","body":{"order_id":"'),
        Buffer.from([0xff]),
        bytes('"}}'),
      ]),
      "the body is not UTF-8 JSON",
    ],
    ["null", bytes("null"), "the body is not a JSON object"],
    ["an array", bytes('[{"event":"order_payment"}]'), "the body is not a JSON object"],
    ["a string", bytes('"order_payment"'), "the body is not a JSON object"],
    ["another event", bytes('{"event":"order_refund","body":{}}'), "event is not order_payment"],
    ["no body", bytes('{"event":"order_payment"}'), "payment details without order_id"],
    [
      "no status",
      bytes('{"event":"order_payment","body":{"order_id":"b-1"}}'),
      "payment details without order_status.key",
    ],
  ])("%s: not a payment event, and why", (_case, raw, problem) => {
    expect(parseCallbackEvent(raw)).toEqual({ ok: false, problem });
  });
});
