import { isBankStatus } from "../../bog/statuses.js";
import { type ErrorDetail, invalidRequest } from "../../domain-error.js";
import { isoSeconds } from "../../iso-time.js";
import { canonicalHash } from "../checkout/request-fields.js";
import type { OrderStatus } from "../model/status-rank.js";
import {
  DONE,
  type ListFilter,
  type ListPosition,
  type OrderListStore,
  partitions,
} from "../storage/order-list.js";
import { type OrderSummary, orderSummary } from "./merchant-views.js";

/**
 * GET /merchant/orders?status=&from=&to=&reference=&limit=&cursor= — newest first,
 * through the list indexes. The cursor is opaque to the caller (base64url of where
 * each index partition stopped) and is only valid with the same filters.
 */

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

export interface ListQuery {
  filter: ListFilter;
  limit: number;
  after: ListPosition | null;
}

const isStatus = (value: string): value is OrderStatus =>
  value === "pending" || isBankStatus(value);

function time(name: string, value: string, problems: ErrorDetail[]): string | undefined {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d)?)?$/.test(value) || Number.isNaN(ms)) {
    problems.push({ path: `query.${name}`, message: `${name} must be an ISO 8601 date or time` });
    return undefined;
  }
  return isoSeconds(ms);
}

/** A shard's position: the last `createdKey` taken (`<createdAt>#<orderId>`), or done. */
const POSITION = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ#[0-9a-f-]{36}$/;

/** The cursor carries a digest of its filters: it is valid only with the same ones. */
const filterDigest = (filter: ListFilter) => canonicalHash(filter).slice(0, 16);

function cursor(value: string, filter: ListFilter, problems: ErrorDetail[]): ListPosition | null {
  const refuse = () => {
    problems.push({
      path: "query.cursor",
      message: "cursor is not one this API gave for these filters",
    });
    return null;
  };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return refuse();
  }
  const { f, p } = (decoded ?? {}) as { f?: unknown; p?: unknown };
  if (f !== filterDigest(filter) || typeof p !== "object" || p === null || Array.isArray(p))
    return refuse();
  const allowed = new Set(partitions(filter).values);
  const from = filter.from ?? "";
  const to = filter.to === undefined ? "~" : `${filter.to}#~`;
  for (const [key, position] of Object.entries(p)) {
    if (!allowed.has(key) || typeof position !== "string") return refuse();
    if (position === DONE) continue;
    if (!POSITION.test(position) || position < from || position > to) return refuse();
  }
  return p as ListPosition;
}

export function parseListQuery(params: Record<string, string | undefined>): ListQuery {
  const problems: ErrorDetail[] = [];
  const known = new Set(["status", "from", "to", "reference", "limit", "cursor"]);
  for (const name of Object.keys(params)) {
    if (!known.has(name))
      problems.push({ path: `query.${name}`, message: `unknown parameter: ${name}` });
  }
  const filter: ListFilter = {};
  if (params.status !== undefined) {
    if (isStatus(params.status)) filter.status = params.status;
    else problems.push({ path: "query.status", message: "status is not an order status" });
  }
  if (params.reference !== undefined) {
    if (params.reference.length >= 1 && params.reference.length <= 64)
      filter.reference = params.reference;
    else
      problems.push({ path: "query.reference", message: "reference must be 1 to 64 characters" });
  }
  if (filter.status !== undefined && filter.reference !== undefined) {
    problems.push({
      path: "query.reference",
      message: "filter by status or by reference, not both",
    });
  }
  if (params.from !== undefined) filter.from = time("from", params.from, problems);
  if (params.to !== undefined) filter.to = time("to", params.to, problems);
  let limit = DEFAULT_LIMIT;
  if (params.limit !== undefined) {
    limit = Number(params.limit);
    if (!/^\d+$/.test(params.limit) || limit < 1 || limit > MAX_LIMIT)
      problems.push({
        path: "query.limit",
        message: `limit must be a whole number from 1 to ${MAX_LIMIT}`,
      });
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    problems.push({ path: "query.from", message: "from must not be after to" });
  }
  const after =
    params.cursor === undefined || problems.length > 0
      ? null
      : cursor(params.cursor, filter, problems);
  if (problems.length > 0) throw invalidRequest(problems[0]?.message ?? "invalid query", problems);
  return { filter, limit, after };
}

export async function listOrders(
  query: ListQuery,
  list: OrderListStore,
): Promise<{ orders: OrderSummary[]; nextCursor: string | null }> {
  const page = await list.page(query.filter, query.limit, query.after);
  return {
    orders: page.orders.map(orderSummary),
    nextCursor: page.next
      ? Buffer.from(JSON.stringify({ f: filterDigest(query.filter), p: page.next })).toString(
          "base64url",
        )
      : null,
  };
}
