import { describe, expect, it } from "vitest";
import { parsePaymentDetails } from "../../../lib/bog/payment-details.js";

/** The payment details' `actions[]`, read tolerantly (the bank's document, payment details). */

const details = (actions: unknown) =>
  parsePaymentDetails({ order_id: "b-1", order_status: { key: "completed" }, actions });

describe("actions[]", () => {
  it("reads the document's example entries", () => {
    expect(
      details([
        {
          action_id: "b70968ca-eda9-47ae-8811-26fd1ab733f8",
          request_channel: "public_api",
          action: "authorize",
          status: "completed",
          zoned_action_date: "2022-11-28T13:42:40.668439Z",
          amount: "100.5",
        },
        {
          action_id: "a89b872a-9700-4025-b3fb-047cbba7a5e6",
          request_channel: "business_manager",
          action: "refund",
          status: "rejected",
          amount: "0.01",
        },
      ]).actions,
    ).toEqual([
      {
        actionId: "b70968ca-eda9-47ae-8811-26fd1ab733f8",
        requestChannel: "public_api",
        action: "authorize",
        status: "completed",
        amount: 10050,
      },
      {
        actionId: "a89b872a-9700-4025-b3fb-047cbba7a5e6",
        requestChannel: "business_manager",
        action: "refund",
        status: "rejected",
        amount: 1,
      },
    ]);
  });

  it.each([[null], [undefined], ["none"], [{}]])("%j is no actions", (value) => {
    expect(details(value).actions).toEqual([]);
  });

  it("skips an entry without an action id, keeps the rest, and an odd amount is null", () => {
    expect(
      details([{ status: "rejected" }, null, { action_id: "x", amount: "1.005", status: null }])
        .actions,
    ).toEqual([{ actionId: "x", requestChannel: null, action: null, status: null, amount: null }]);
  });
});
