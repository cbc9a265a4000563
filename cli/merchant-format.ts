import type { ApiError } from "./merchant-http.js";

/**
 * The readable output of `npm run merchant` (without --json): the API's answers as
 * plain-text tables, amounts and times as the API gives them, and one clear message
 * per error code of docs/api.md. Tolerant: a field the API leaves out prints "-", a
 * field it adds is ignored here (and shown by --json). Text from the API (a shop's
 * reference, metadata, the bank's messages) never reaches the terminal with its
 * control characters, so it cannot move the cursor or rewrite what was printed.
 */

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Control characters (C0, DEL, C1) shown as escapes, not obeyed by the terminal. */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === "\t" ? " " : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A cell: strings as given, null and missing as "-", anything else as compact JSON. */
function cell(value: unknown): string {
  if (value === null || value === undefined || value === "") return "-";
  if (typeof value === "string") return printable(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return printable(JSON.stringify(value));
}

/** Columns padded to their widest cell, two spaces apart, the header in capitals. */
function table(headers: readonly string[], rows: readonly unknown[][]): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((row) => row.map(cell))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length)));
  return cells
    .map((row) =>
      row
        .map((text, i) => (i === row.length - 1 ? text : text.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** "Label   value" lines, the labels padded to the longest. */
function fields(pairs: readonly [string, unknown][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${cell(value)}`).join("\n");
}

/** "25.00 GEL", or the amount alone when the currency is missing. */
function money(amount: unknown, currency: unknown): string | null {
  if (amount === null || amount === undefined) return null;
  return typeof currency === "string" ? `${cell(amount)} ${cell(currency)}` : cell(amount);
}

/** `GET /merchant/orders`: one line per order, newest first, and how to get the next page. */
export function formatOrderList(body: unknown): string {
  const { orders, nextCursor } = asObject(body);
  const list = asArray(orders).map(asObject);
  const lines: string[] = [];
  if (list.length === 0) lines.push("No orders.");
  else
    lines.push(
      table(
        ["order id", "reference", "status", "amount", "method", "created", "updated"],
        list.map((o) => [
          o.orderId,
          o.reference,
          o.status,
          money(o.amount, o.currency),
          o.paymentMethod,
          o.createdAt,
          o.updatedAt,
        ]),
      ),
    );
  if (typeof nextCursor === "string" && nextCursor !== "")
    lines.push("", `More orders: add --cursor ${cell(nextCursor)}`);
  return lines.join("\n");
}

/** `GET /merchant/orders/{id}`: the order's fields, then its items, history and operations. */
export function formatOrder(body: unknown): string {
  const o = asObject(body);
  const currency = o.currency;
  const sections = [
    fields([
      ["Order", o.orderId],
      ["Reference", o.reference],
      ["Status", o.status],
      ["Amount", money(o.amount, currency)],
      ["Captured", money(o.capturedAmount, currency)],
      ["Refunded", money(o.refundedAmount, currency)],
      ["Payment method", o.paymentMethod],
      ["Capture", o.capture],
      ["Reject reason", o.rejectReason],
      ["Bank order id", o.bankOrderId],
      ["Created", o.createdAt],
      ["Updated", o.updatedAt],
      ["Expires", o.expiresAt],
      ["Delivery", delivery(o.delivery, currency)],
    ]),
  ];

  const items = asArray(o.items).map(asObject);
  if (items.length > 0)
    sections.push(
      `Items\n${table(
        ["product", "description", "quantity", "unit price", "line total"],
        items.map((i) => [i.productId, i.description, i.quantity, i.unitPrice, i.lineTotal]),
      )}`,
    );

  const metadata = Object.entries(asObject(o.metadata));
  if (metadata.length > 0) sections.push(`Metadata\n${table(["key", "value"], metadata)}`);

  const anomalies = asArray(o.anomalies);
  if (anomalies.length > 0)
    sections.push(
      `Anomalies (${anomalies.length}, kept aside, not applied)\n${anomalies.map((a) => `  ${cell(a)}`).join("\n")}`,
    );

  const history = asArray(o.history).map(asObject);
  sections.push(
    history.length === 0
      ? "History: none"
      : `History\n${table(
          ["at", "status", "source"],
          history.map((h) => [h.at, h.status, h.source]),
        )}`,
  );

  const operations = asArray(o.operations).map(asObject);
  sections.push(
    operations.length === 0
      ? "Operations: none"
      : `Operations\n${table(
          ["operation id", "kind", "amount", "state", "source", "requested", "more"],
          operations.map(({ operationId, kind, amount, state, source, requestedAt, ...more }) => [
            operationId,
            kind,
            operationAmount(kind, amount),
            state,
            source,
            requestedAt,
            moreFields(more),
          ]),
        )}`,
  );
  return sections.join("\n\n");
}

/** The delivery fee: a decimal string (or an object with an `amount`), with the currency. */
function delivery(value: unknown, currency: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return money(value, currency);
  const { amount, ...rest } = asObject(value);
  if (amount === undefined || Object.keys(rest).length > 0) return value;
  return money(amount, currency);
}

/** An operation's other fields ("updatedAt=… note=…"), as one cell; nulls left out. */
function moreFields(more: Json): string | null {
  const entries = Object.entries(more).filter(([, v]) => v !== null && v !== undefined);
  if (entries.length === 0) return null;
  return entries.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");
}

/** A refund or capture without an amount is of all that is left (the bank decides it). */
function operationAmount(kind: unknown, amount: unknown): unknown {
  return (amount === null || amount === undefined) && (kind === "refund" || kind === "capture")
    ? "all"
    : amount;
}

/** A 202 from refund, capture or void: the operation, which the bank confirms later. */
export function formatOperation(body: unknown, orderId: string): string {
  const op = asObject(body);
  return [
    fields([
      ["Operation", op.operationId],
      ["Kind", op.kind],
      ["Amount", operationAmount(op.kind, op.amount)],
      ["State", op.state],
    ]),
    "",
    `The bank confirms it later; see it with: npm run merchant -- orders show ${orderId}`,
  ].join("\n");
}

/** `GET /merchant/customers/{customerRef}/cards`: one line per card. */
export function formatCardList(body: unknown): string {
  const cards = asArray(asObject(body).cards).map(asObject);
  if (cards.length === 0) return "No cards.";
  return table(
    ["card id", "type", "card", "card type", "expiry", "saved"],
    cards.map((c) => [c.cardId, c.type, c.cardMask, c.cardType, c.expiry, c.createdAt]),
  );
}

/** `POST /merchant/cards/{cardId}/charges`: the charge, an order like any other. */
export function formatCharge(body: unknown): string {
  const o = asObject(body);
  return [
    fields([
      ["Order", o.orderId],
      ["Status", o.status],
      ["Amount", money(o.amount, o.currency)],
      ...(o.redirectUrl === undefined
        ? []
        : [["Customer confirms at", o.redirectUrl] as [string, unknown]]),
    ]),
    "",
    `The bank decides it; see it with: npm run merchant -- orders show ${cell(o.orderId)}`,
  ].join("\n");
}

/** What each error code of docs/api.md means for the person at the terminal. */
const ERROR_HINTS: Readonly<Record<string, string>> = {
  invalid_request: "The API found the request malformed.",
  unknown_product: "A product is not in the catalog, or is not active.",
  unsupported_media_type:
    "The API refused the request's body as not JSON (a bug in this command: please report it).",
  payload_too_large: "The request's body is larger than the API accepts.",
  idempotency_conflict:
    "This --idempotency-key was already used for a different request: use a new key, or leave --idempotency-key out.",
  order_not_found: "No order has this id (orders list shows them).",
  bank_rejected: "The bank refused the operation; its reason is above.",
  invalid_state:
    "The order's status does not allow this: a refund needs completed, partial_completed or refunded_partially; capture and void need blocked (orders show ID shows the status).",
  amount_exceeds_balance:
    "The amount is more than is left to refund or capture (orders show ID shows the captured and refunded amounts and the operations under way).",
  partial_not_allowed:
    "The bank refunds this payment method only in full: run refund without --amount.",
  bank_unavailable: "The bank did not answer in time.",
  service_unavailable:
    "The service's storage did not answer in time, or the order is being checked with the bank; nothing was half-done. Retry after Retry-After.",
  internal_error: "The service failed; its logs have the details.",
  card_not_found: "No card has this id, or it was deleted (cards list CUSTOMER shows them).",
  card_expired: "The card's expiry has passed: the customer must save a new card.",
};

/** For answers that are not the error shape of docs/api.md: API Gateway's own (IAM, throttling, routing). */
function statusHint(status: number | undefined): string | undefined {
  if (status === 401 || status === 403)
    return "AWS refused the call: your credentials need execute-api:Invoke on the merchant routes (the stack's MerchantApiPolicyArn policy), in the stack's account and region.";
  if (status === 404)
    return "No such route: is the merchant API deployed there (or npm start running on PORT)?";
  if (status === 429) return "Too many requests: try again in a moment.";
  return undefined;
}

/**
 * The lines for stderr when the API refused (exit 1) or the call failed (exit 3). After
 * a POST that failed, the outcome may be unknown (a timeout, a 500): the key to retry
 * with is named, because a retry with the same key never does the operation twice.
 */
export function errorReport(
  kind: "refused" | "failed",
  status: number | undefined,
  error: ApiError,
  retryKey?: string,
): string[] {
  const what = kind === "refused" ? "refused" : "failed";
  const label = [status, error.code].filter((x) => x !== undefined).join(" ");
  const lines = [
    `merchant: ${what}${label ? ` (${label})` : ""}: ${printable(error.message) || "(no message)"}`,
  ];
  for (const detail of error.details)
    lines.push(`  ${detail.path ? `${printable(detail.path)}: ` : ""}${printable(detail.message)}`);
  const hint =
    (error.code && ERROR_HINTS[error.code]) || (error.code ? undefined : statusHint(status));
  if (hint) lines.push(hint);
  if (error.retryAfter !== undefined) lines.push(`Retry after ${error.retryAfter} s.`);
  if (kind === "failed" && retryKey !== undefined)
    lines.push(
      `To retry safely (it is never done twice), run the same command with --idempotency-key ${retryKey}`,
    );
  return lines;
}
