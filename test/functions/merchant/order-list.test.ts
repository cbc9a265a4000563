import { describe, expect, it } from "vitest";
import { post } from "../../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../../support/functions.js";
import { merchantCreate } from "../../support/merchant-calls.js";

/**
 * GET /merchant/orders over the list indexes (docs/merchant-api.md), on a table of its own so
 * that the whole list is known: newest first across the index's shards (by creation
 * time, then order id), every page of a walk continuing exactly where the last
 * stopped, a status filter holding only that status, `from` and `to` bounding by
 * the second, both ends included.
 */

const fx = useFunctions();

type Summary = { orderId: string; status: string; createdAt: string };
const BASKET = {
  currency: "GEL",
  items: [{ productId: "mug", description: "Mug", quantity: 1, unitPrice: "10.00" }],
};

async function list(query: string): Promise<{ orders: Summary[]; nextCursor: string | null }> {
  const answer = await fx.merchant("GET /merchant/orders", { path: "/merchant/orders", query });
  expect(answer.status).toBe(200);
  return answer.body as { orders: Summary[]; nextCursor: string | null };
}

async function walk(query: string, limit: number): Promise<Summary[]> {
  const seen: Summary[] = [];
  let cursor: string | null = null;
  do {
    const page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.orders.length).toBeLessThanOrEqual(limit);
    seen.push(...page.orders);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

const newestFirst = (orders: Summary[]) =>
  [...orders].sort((a, b) => {
    const ka = `${a.createdAt}#${a.orderId}`;
    const kb = `${b.createdAt}#${b.orderId}`;
    return ka < kb ? 1 : ka > kb ? -1 : 0;
  });

describe("listing a known table", () => {
  it("newest first across shards; a walk of any page size is the same list; by status; by time", async () => {
    const early: string[] = [];
    for (let i = 0; i < 6; i += 1)
      early.push((await merchantCreate(fx, BASKET)).body.orderId as string);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second
    const late: string[] = [];
    for (let i = 0; i < 6; i += 1)
      late.push((await merchantCreate(fx, BASKET)).body.orderId as string);
    const paidIds = [early[1], early[4], late[0], late[5]] as string[];
    for (const orderId of paidIds) {
      const bankOrderId = await bankOrderIdOf(fx, orderId);
      await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    }

    const all = (await list("limit=100")).orders;
    expect(new Set(all.map((o) => o.orderId))).toEqual(new Set([...early, ...late]));
    expect(all).toEqual(newestFirst(all));
    for (const size of [1, 3, 5]) expect(await walk("", size)).toEqual(all);

    const completed = await walk("status=completed", 3);
    expect(new Set(completed.map((o) => o.orderId))).toEqual(new Set(paidIds));
    expect(completed.every((o) => o.status === "completed")).toBe(true);
    expect(completed).toEqual(newestFirst(completed));
    const created = await walk("status=created", 2);
    expect(created).toHaveLength(8);

    // The early orders' last second, and the late ones' first: 1.1 s apart at least.
    const at = (id: string) => all.find((o) => o.orderId === id)?.createdAt as string;
    const earlySecond = early.map(at).sort().at(-1) as string;
    const lateSecond = late.map(at).sort()[0] as string;
    expect(earlySecond < lateSecond).toBe(true);
    const upToEarly = await walk(`to=${earlySecond}`, 4);
    expect(new Set(upToEarly.map((o) => o.orderId))).toEqual(new Set(early));
    const fromLate = await walk(`from=${lateSecond}`, 4);
    expect(new Set(fromLate.map((o) => o.orderId))).toEqual(new Set(late));
    expect(await walk(`from=${at(early[0] as string)}&to=${at(late[5] as string)}`, 50)).toEqual(
      all,
    );
    expect((await list("to=2020-01-01T00:00:00Z")).orders).toEqual([]);
  });
});
