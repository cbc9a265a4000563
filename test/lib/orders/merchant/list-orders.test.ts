import { describe, expect, it } from "vitest";
import { DomainError } from "../../../../lib/domain-error.js";
import {
  DEFAULT_LIMIT,
  type ListQuery,
  listOrders,
  MAX_LIMIT,
  parseListQuery,
} from "../../../../lib/orders/merchant/list-orders.js";
import {
  DONE,
  type ListFilter,
  type ListPosition,
  type OrderListStore,
} from "../../../../lib/orders/storage/order-list.js";

/**
 * GET /merchant/orders' query (docs/merchant-api.md), read before any index is: each refusal
 * with its path and words, the bounds of each parameter, and the cursor, which is
 * valid only for the filters it was given with and only inside their time range.
 */

const ID = "3f0c1c5e-2b1a-4c3d-8e9f-0123456789ab";
const key = (at: string) => `${at}#${ID}`;

function refusal(params: Record<string, string | undefined>): {
  message: string;
  details: unknown;
} {
  try {
    parseListQuery(params);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(error.code).toBe("invalid_request");
    return { message: error.message, details: error.details };
  }
  throw new Error("accepted");
}

/** A cursor as the API gives it: from a page that stopped at `next`. */
async function cursorFor(filter: ListFilter, next: ListPosition): Promise<string> {
  const list = { page: async () => ({ orders: [], next }) } as unknown as OrderListStore;
  const query: ListQuery = { filter, limit: 10, after: null };
  const answer = await listOrders(query, list);
  if (answer.nextCursor === null) throw new Error("no cursor");
  return answer.nextCursor;
}

const allShards = (position: string): ListPosition =>
  Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`all#${n}`, position]));

describe("the list's filters", () => {
  it("none: newest first over every order, 25 a page", () => {
    expect(parseListQuery({})).toEqual({ filter: {}, limit: DEFAULT_LIMIT, after: null });
    expect(DEFAULT_LIMIT).toBe(25);
  });

  it.each(["pending", "created", "completed", "refunded_partially", "blocked"])(
    "status=%s is an order status",
    (status) => {
      expect(parseListQuery({ status }).filter).toEqual({ status });
    },
  );

  it("a reference of 1 and of 64 characters", () => {
    expect(parseListQuery({ reference: "r" }).filter).toEqual({ reference: "r" });
    const longest = "r".repeat(64);
    expect(parseListQuery({ reference: longest }).filter).toEqual({ reference: longest });
  });

  it("from and to: a date or a time with its zone, kept to the second in UTC", () => {
    expect(
      parseListQuery({ from: "2026-11-01", to: "2026-11-28T12:30:15.250+04:00" }).filter,
    ).toEqual({ from: "2026-11-01T00:00:00Z", to: "2026-11-28T08:30:15Z" });
    expect(
      parseListQuery({ from: "2026-11-28T12:00:00Z", to: "2026-11-28T12:00:00Z" }).filter,
    ).toEqual({ from: "2026-11-28T12:00:00Z", to: "2026-11-28T12:00:00Z" });
  });

  it("limit from 1 to 100", () => {
    expect(parseListQuery({ limit: "1" }).limit).toBe(1);
    expect(parseListQuery({ limit: String(MAX_LIMIT) }).limit).toBe(100);
  });
});

describe("a refused query: 400 with the parameter's path and what is wrong", () => {
  it.each([
    [{ page: "2" }, "query.page", "unknown parameter: page"],
    [{ status: "paid" }, "query.status", "status is not an order status"],
    [{ status: "" }, "query.status", "status is not an order status"],
    [{ reference: "" }, "query.reference", "reference must be 1 to 64 characters"],
    [{ reference: "r".repeat(65) }, "query.reference", "reference must be 1 to 64 characters"],
    [
      { status: "completed", reference: "r" },
      "query.reference",
      "filter by status or by reference, not both",
    ],
    [{ from: "yesterday" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ to: "x2026-11-01" }, "query.to", "to must be an ISO 8601 date or time"],
    [{ to: "2026-11-01x" }, "query.to", "to must be an ISO 8601 date or time"],
    [{ from: "26-11-01" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-13-45" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-01T" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-01Tnoon" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-01T10:00Q" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-01T10:00*04:00" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-01T10:00+4:00" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-01T10:00+04:0" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-1-01" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-1" }, "query.from", "from must be an ISO 8601 date or time"],
    [{ from: "2026-11-02", to: "2026-11-01" }, "query.from", "from must not be after to"],
    [{ limit: "0" }, "query.limit", "limit must be a whole number from 1 to 100"],
    [{ limit: "101" }, "query.limit", "limit must be a whole number from 1 to 100"],
    [{ limit: "-5" }, "query.limit", "limit must be a whole number from 1 to 100"],
    [{ limit: "5x" }, "query.limit", "limit must be a whole number from 1 to 100"],
    [{ limit: "x5" }, "query.limit", "limit must be a whole number from 1 to 100"],
    [{ limit: "2.5" }, "query.limit", "limit must be a whole number from 1 to 100"],
  ])("%j", (params, path, message) => {
    expect(refusal(params)).toEqual({ message, details: [{ path, message }] });
  });

  it("every problem is listed; the message is the first one's", () => {
    expect(refusal({ status: "paid", limit: "0" })).toEqual({
      message: "status is not an order status",
      details: [
        { path: "query.status", message: "status is not an order status" },
        { path: "query.limit", message: "limit must be a whole number from 1 to 100" },
      ],
    });
  });
});

describe("the cursor", () => {
  const CURSOR_REFUSED = {
    message: "cursor is not one this API gave for these filters",
    details: [
      { path: "query.cursor", message: "cursor is not one this API gave for these filters" },
    ],
  };
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it("one the API gave, with the same filters: the page goes on where it stopped", async () => {
    const filter = { from: "2026-11-01T00:00:00Z", to: "2026-11-28T00:00:00Z" };
    const next = { ...allShards(key("2026-11-20T10:00:00Z")), "all#3": DONE };
    const cursor = await cursorFor(filter, next);
    expect(
      parseListQuery({ from: "2026-11-01T00:00:00Z", to: "2026-11-28T00:00:00Z", cursor }).after,
    ).toEqual(next);
    const atEdges = { "all#0": key("2026-11-01T00:00:00Z"), "all#1": key("2026-11-28T00:00:00Z") };
    const edges = await cursorFor(filter, atEdges);
    expect(
      parseListQuery({ from: "2026-11-01T00:00:00Z", to: "2026-11-28T00:00:00Z", cursor: edges })
        .after,
    ).toEqual(atEdges);
  });

  it("a status filter's and a reference filter's own partitions", async () => {
    const byStatus = { "completed#0": key("2026-11-20T10:00:00Z") };
    const cursor = await cursorFor({ status: "completed" }, byStatus);
    expect(parseListQuery({ status: "completed", cursor }).after).toEqual(byStatus);
    const byReference = { "shop-1": key("2026-11-20T10:00:00Z") };
    const refCursor = await cursorFor({ reference: "shop-1" }, byReference);
    expect(parseListQuery({ reference: "shop-1", cursor: refCursor }).after).toEqual(byReference);
  });

  it("with other filters, or a position outside the filters' times: refused", async () => {
    const filter = { from: "2026-11-10T00:00:00Z", to: "2026-11-20T00:00:00Z" };
    const inside = await cursorFor(filter, { "all#0": key("2026-11-15T00:00:00Z") });
    expect(
      refusal({ from: "2026-11-11T00:00:00Z", to: "2026-11-20T00:00:00Z", cursor: inside }),
    ).toEqual(CURSOR_REFUSED);
    expect(refusal({ cursor: inside })).toEqual(CURSOR_REFUSED);
    for (const at of ["2026-11-09T23:59:59Z", "2026-11-20T00:00:01Z"]) {
      const outside = await cursorFor(filter, { "all#0": key(at) });
      expect(refusal({ ...filter, cursor: outside })).toEqual(CURSOR_REFUSED);
    }
  });

  it("made up, not JSON, of another partition, or with a position that is not one: refused", async () => {
    const digest = JSON.parse(
      Buffer.from(await cursorFor({}, allShards(DONE)), "base64url").toString("utf8"),
    ).f as string;
    for (const cursor of [
      "not-a-cursor",
      base64url(null),
      base64url({ f: digest, p: null }),
      base64url({ f: digest, p: [key("2026-11-15T00:00:00Z")] }),
      base64url({ f: digest, p: "done" }),
      base64url({ f: digest, p: { "completed#0": key("2026-11-15T00:00:00Z") } }),
      base64url({ f: digest, p: { "all#0": 5 } }),
      base64url({ f: digest, p: { "all#0": "2026-11-15#x" } }),
      base64url({ f: "0000000000000000", p: allShards(DONE) }),
    ]) {
      expect(refusal({ cursor })).toEqual(CURSOR_REFUSED);
    }
    expect(parseListQuery({ cursor: base64url({ f: digest, p: allShards(DONE) }) }).after).toEqual(
      allShards(DONE),
    );
  });

  it("a query with another problem is refused for that problem, its cursor not read", () => {
    expect(refusal({ limit: "0", cursor: "not-a-cursor" })).toEqual({
      message: "limit must be a whole number from 1 to 100",
      details: [{ path: "query.limit", message: "limit must be a whole number from 1 to 100" }],
    });
  });
});
