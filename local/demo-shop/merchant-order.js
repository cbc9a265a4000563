// The back office's page of one order (/merchant?order=ID): its detail, events and operations.
import { fromMinor, toMinor } from "./i18n.js";
import { fill, m } from "./merchant-i18n.js";
import {
  API,
  byId,
  element,
  params,
  readAnswer,
  statusBadge,
  time,
  withData,
} from "./merchant-page.js";

const orderId = params.get("order");
// Which operations a status allows (docs/merchant-api.md); the API checks again.
const REFUNDABLE = new Set(["completed", "partial_completed", "refunded_partially"]);
const CAPTURABLE = new Set(["blocked"]);
// After an operation, how long to keep looking for the bank's word on it.
const SETTLE_POLL_MS = 1000;
const SETTLE_GIVE_UP_MS = 15_000;

let order;
let orderError;

/** The order's events as the local bus published them; undefined where there is none (AWS). */
let orderEvents;

async function loadEvents() {
  try {
    const response = await fetch(`/_local/orders/${encodeURIComponent(orderId)}/events`);
    orderEvents = response.ok ? (await response.json()).events : undefined;
  } catch {
    orderEvents = undefined;
  }
}

function renderEvents() {
  const section = byId("events-section");
  section.hidden = !order || !orderEvents;
  if (section.hidden) return;
  table(
    "events",
    orderEvents.map((e) => [
      [`v${e.version}`, "num"],
      [time(e.occurredAt)],
      [`${e.previousStatus ?? "–"} → ${e.status}`],
      [`${e.amount} ${e.currency}`, "num"],
    ]),
    "no-events",
  );
}

async function loadOrder(refresh = false) {
  const url = `${API}/${encodeURIComponent(orderId)}${refresh ? "?refresh=true" : ""}`;
  try {
    const [response] = await Promise.all([fetch(url), loadEvents()]);
    if (response.status === 404) {
      order = undefined;
      orderError = m().notFound;
    } else {
      order = await readAnswer(response);
      orderError = undefined;
    }
  } catch (error) {
    orderError = `${m().loadFailed}: ${error.message}`;
  }
  renderOrder();
  return order;
}

const money = (amount) =>
  amount === null || amount === undefined ? null : `${amount} ${order.currency}`;

/** What is left to refund as far as this page knows (the API decides). */
function leftToRefund() {
  const paid = toMinor(order.capturedAmount ?? order.amount);
  const refunded = toMinor(order.refundedAmount ?? "0");
  const asked = order.operations
    .filter((op) => op.kind === "refund" && op.state === "requested" && op.amount)
    .reduce((sum, op) => sum + toMinor(op.amount), 0);
  return fromMinor(Math.max(0, paid - refunded - asked));
}

function summaryRows() {
  const rows = [
    [m().orderId, element("span", { className: "mono", textContent: order.orderId })],
    [m().reference, order.reference],
    [
      m().status,
      element(
        "span",
        {},
        withData(statusBadge(order.status), { testid: "order-status" }),
        " ",
        element("code", { textContent: order.status }),
      ),
    ],
    [m().amount, withData(element("span", {}, money(order.amount)), { testid: "order-amount" })],
    [
      m().capturedAmount,
      withData(element("span", {}, money(order.capturedAmount)), { testid: "captured-amount" }),
    ],
    [
      m().refundedAmount,
      withData(element("span", {}, money(order.refundedAmount)), { testid: "refunded-amount" }),
    ],
    [m().method, order.paymentMethod],
    [m().captureMode, m()[order.capture] ?? order.capture],
  ];
  if (order.delivery) rows.push([m().delivery, money(order.delivery)]);
  if (order.rejectReason) rows.push([m().rejectReason, order.rejectReason]);
  rows.push(
    [m().bankOrderId, element("span", { className: "mono" }, order.bankOrderId)],
    [m().created, time(order.createdAt)],
    [m().updated, time(order.updatedAt)],
    [m().expiresAt, time(order.expiresAt)],
  );
  if (order.metadata && Object.keys(order.metadata).length > 0) {
    rows.push([
      m().metadata,
      element(
        "span",
        { className: "mono" },
        Object.entries(order.metadata)
          .map(([k, v]) => `${k}=${v}`)
          .join(", "),
      ),
    ]);
  }
  return rows.flatMap(([term, value]) => [element("dt", {}, term), element("dd", {}, value)]);
}

function table(id, rows, emptyId) {
  byId(id).replaceChildren(
    ...rows.map((cells) =>
      element(
        "tr",
        {},
        ...cells.map(([value, className]) => element("td", { className: className ?? "" }, value)),
      ),
    ),
  );
  if (emptyId) {
    byId(emptyId).hidden = rows.length > 0;
    byId(id).closest(".table-wrap").hidden = rows.length === 0;
  }
}

export function renderOrder() {
  const message = byId("order-message");
  message.classList.toggle("error", Boolean(orderError));
  message.textContent = orderError ?? "";
  for (const el of document.querySelectorAll("#order-view section:not(.summary)"))
    el.hidden = !order;
  byId("summary").hidden = !order;
  if (!order) {
    byId("order-title").textContent = m().order;
    return;
  }
  byId("order-title").textContent = `${m().order} ${order.reference ?? order.orderId.slice(0, 8)}`;
  document.title = `${byId("order-title").textContent} · BoG payments`;
  byId("summary").replaceChildren(...summaryRows());

  const refundable = REFUNDABLE.has(order.status);
  const capturable = CAPTURABLE.has(order.status);
  byId("refund-form").hidden = !refundable;
  byId("capture-form").hidden = !capturable;
  byId("void-form").hidden = !capturable;
  byId("no-actions").hidden = refundable || capturable;
  byId("refund-hint").textContent = `${m().leftToRefund}: ${money(leftToRefund())}`;
  byId("capture-hint").textContent = `${m().authorized}: ${money(order.amount)}`;

  table(
    "items",
    order.items.map((i) => [
      [i.productId, "mono"],
      [i.description],
      [String(i.quantity), "num"],
      [money(i.unitPrice), "num"],
      [money(i.lineTotal), "num"],
    ]),
  );
  table(
    "operations",
    order.operations.map((op) => [
      [m().kinds[op.kind] ?? op.kind],
      [money(op.amount), "num"],
      [m().states[op.state] ?? op.state, `state-${op.state}`],
      [op.source],
      [time(op.updatedAt)],
      [op.note],
      [op.bankMessage],
    ]),
    "no-operations",
  );
  table(
    "history",
    order.history.map((h) => [[time(h.at)], [statusBadge(h.status)], [h.source]]),
  );
  renderEvents();
  table(
    "anomalies",
    order.anomalies.map((a) => [
      [time(a.at)],
      [a.reason],
      [a.status, "mono"],
      [a.source],
      [a.bankOrderId, "mono"],
    ]),
    "no-anomalies",
  );
}

function setBusy(busy) {
  for (const button of document.querySelectorAll("#order-view button")) button.disabled = busy;
}

/** One click, one request, one fresh Idempotency-Key; the buttons wait for the answer. */
async function operate(form) {
  const kind = form.dataset.kind;
  const amount = form.elements.amount?.value.trim().replace(",", ".") ?? "";
  const note = form.elements.note?.value.trim() ?? "";
  const body = {};
  if (amount) body.amount = amount;
  if (note) body[kind === "refund" ? "reason" : "description"] = note;
  const name = order.reference ?? order.orderId.slice(0, 8);
  const question =
    kind === "void"
      ? fill(m().confirmVoid, { order: name })
      : fill(kind === "refund" ? m().confirmRefund : m().confirmCapture, {
          amount: amount ? money(amount) : m().everything,
          order: name,
        });
  if (!confirm(question)) return;
  const message = byId("action-message");
  message.classList.remove("error");
  message.textContent = m().sending;
  setBusy(true);
  try {
    const answer = await readAnswer(
      await fetch(`${API}/${encodeURIComponent(orderId)}/${kind}`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify(body),
      }),
    );
    form.reset();
    message.textContent =
      `${m().requested}: ${m().kinds[kind]} ${money(answer.amount) ?? ""}`.trim();
    const settled = await settle(answer.operationId);
    if (settled && settled.state !== "requested") {
      // The bank's word: "refund 5.00 GEL: completed", or why it was refused.
      const said = [
        `${m().kinds[kind]} ${money(settled.amount) ?? ""}`.trim(),
        m().states[settled.state] ?? settled.state,
      ].join(": ");
      message.classList.toggle("error", settled.state === "rejected");
      message.textContent = settled.bankMessage ? `${said} (${settled.bankMessage})` : said;
    }
  } catch (error) {
    message.classList.add("error");
    message.textContent = `${m().operationFailed}: ${error.message}`;
  } finally {
    setBusy(false);
  }
}

/**
 * Reloads the order until the bank's word settles the operation (or a while has
 * passed), and gives the operation as last seen.
 */
async function settle(operationId) {
  const started = Date.now();
  for (;;) {
    const now = await loadOrder();
    const op = now?.operations.find((o) => o.operationId === operationId);
    if (op?.state !== "requested" || Date.now() - started > SETTLE_GIVE_UP_MS) return op;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

export function startOrder() {
  byId("order-view").hidden = false;
  byId("back").href = `/merchant${sessionStorage.getItem("merchantListQuery") ?? ""}`;
  for (const form of document.querySelectorAll("form.action")) {
    form.onsubmit = (event) => {
      event.preventDefault();
      if (order) operate(form);
    };
  }
  byId("refresh").onclick = async () => {
    const message = byId("action-message");
    message.classList.remove("error");
    message.textContent = m().loading;
    setBusy(true);
    await loadOrder(true);
    message.textContent = orderError ? "" : m().refreshed;
    setBusy(false);
  };
  renderOrder();
  loadOrder();
}
