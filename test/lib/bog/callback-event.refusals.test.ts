import { describe, expect, it } from "vitest";
import { parseCallbackEvent } from "../../../lib/bog/callback-event.js";

describe("callback event parsing", () => {
  it.each([
    ["not JSON", "{", "the body is not UTF-8 JSON"],
    ["invalid UTF-8", Buffer.from([0x7b, 0xff, 0x7d]), "the body is not UTF-8 JSON"],
    ["an array", "[]", "the body is not a JSON object"],
    ["another event", '{"event":"refund","body":{}}', "event is not order_payment"],
    ["no body", '{"event":"order_payment"}', "payment details without order_id"],
    [
      "no status",
      '{"event":"order_payment","body":{"order_id":"x"}}',
      "payment details without order_status.key",
    ],
  ])("refuses %s", (_case, raw, problem) => {
    const bytes = typeof raw === "string" ? Buffer.from(raw) : raw;
    expect(parseCallbackEvent(bytes)).toEqual({ ok: false, problem });
  });
});
