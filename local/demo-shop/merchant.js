// The local back office (`npm start`, /merchant): the merchant API (docs/merchant-api.md) in a
// page. /merchant lists orders (filters and pages); /merchant?order=ID shows one order
// and offers the refund, capture and void its status allows; /merchant?customer=REF also
// shows that customer's saved cards (docs/saved-cards.md), each with a delete button. In AWS the merchant API
// takes IAM-signed requests only and this page has no place there; locally the same
// routes answer on loopback without IAM, which is all this page relies on.
import { applyLanguage, fromMinor, toMinor } from "./i18n.js";
import { fill, m, statusLabel, when } from "./merchant-i18n.js";

const API = "/merchant/orders";
const params = new URLSearchParams(location.search);
const orderId = params.get("order");
// Orders per page: 25 (the API's default), or `?limit=` in the page's URL (1 to 100).
const PAGE_SIZE = /^\d+$/.test(params.get("limit") ?? "")
  ? Math.min(100, Math.max(1, Number(params.get("limit"))))
  : 25;
const STATUSES = [
  "pending",
  "created",
  "processing",
  "auth_requested",
  "blocked",
  "completed",
  "partial_completed",
  "refund_requested",
  "refunded_partially",
  "refunded",
  "rejected",
];
// Which operations a status allows (docs/merchant-api.md); the API checks again.
const REFUNDABLE = new Set(["completed", "partial_completed", "refunded_partially"]);
const CAPTURABLE = new Set(["blocked"]);
// After an operation, how long to keep looking for the bank's word on it.
const SETTLE_POLL_MS = 1000;
const SETTLE_GIVE_UP_MS = 15_000;

function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children.map((c) => c ?? "—"));
  return el;
}

const byId = (id) => document.getElementById(id);

/** The API's error message, or what HTTP said. */
async function readAnswer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error?.message ?? body.message ?? `HTTP ${response.status}`);
  }
  return body;
}

// Object.assign cannot set dataset: put it in by hand.
function withData(el, data) {
  for (const [key, value] of Object.entries(data)) el.dataset[key] = value;
  return el;
}

/** A time in the reader's zone, the API's UTC value on hover. */
function time(iso) {
  return iso ? element("time", { dateTime: iso, title: iso, textContent: when(iso) }) : null;
}

function statusBadge(status) {
  return withData(
    element("span", { className: "badge", textContent: statusLabel(status), title: status }),
    { status },
  );
}

/* ---------------------------------------------------------------- the list */

// The cursors of the pages seen so far: [null, cursor of page 2, …].
let cursors = [null];
let listAnswer;
let listError;

/** A date from the filter as the start (or end) of that day in the reader's time zone. */
function dayBound(value, end) {
  const [year, month, day] = value.split("-").map(Number);
  const date = end
    ? new Date(year, month - 1, day, 23, 59, 59, 999)
    : new Date(year, month - 1, day, 0, 0, 0, 0);
  return date.toISOString();
}

async function loadList() {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  const status = params.get("status");
  const reference = params.get("reference");
  const from = params.get("from");
  const to = params.get("to");
  if (status) query.set("status", status);
  if (reference) query.set("reference", reference);
  if (from) query.set("from", dayBound(from, false));
  if (to) query.set("to", dayBound(to, true));
  const cursor = cursors.at(-1);
  if (cursor) query.set("cursor", cursor);
  byId("list-message").textContent = m().loading;
  try {
    listAnswer = await readAnswer(await fetch(`${API}?${query}`));
    listError = undefined;
  } catch (error) {
    listAnswer = undefined;
    listError = error.message;
  }
  renderList();
}

function renderFilters() {
  const select = byId("f-status");
  const chosen = params.get("status") ?? "";
  select.replaceChildren(
    element("option", { value: "", textContent: m().allStatuses }),
    ...STATUSES.map((s) =>
      element("option", { value: s, textContent: `${statusLabel(s)} (${s})` }),
    ),
  );
  select.value = chosen;
  byId("f-reference").value = params.get("reference") ?? "";
  byId("f-from").value = params.get("from") ?? "";
  byId("f-to").value = params.get("to") ?? "";
}

function renderList() {
  const message = byId("list-message");
  const body = byId("orders");
  message.classList.toggle("error", Boolean(listError));
  if (listError) {
    message.textContent = `${m().loadFailed}: ${listError}`;
    body.replaceChildren();
  } else if (listAnswer) {
    message.textContent = listAnswer.orders.length === 0 ? m().noOrders : "";
    body.replaceChildren(
      ...listAnswer.orders.map((o) => {
        const href = `/merchant?order=${encodeURIComponent(o.orderId)}`;
        const row = withData(
          element(
            "tr",
            {
              className: "clickable",
              // The whole row opens the order; the id's link is there for the keyboard.
              onclick: (event) => {
                if (!event.target.closest("a")) location.assign(href);
              },
            },
            element("td", {}, o.reference),
            element(
              "td",
              { className: "mono" },
              element("a", { href, title: o.orderId, textContent: o.orderId.slice(0, 8) }),
            ),
            element("td", {}, statusBadge(o.status)),
            element("td", { className: "num" }, `${o.amount} ${o.currency}`),
            element("td", {}, o.paymentMethod),
            element("td", {}, time(o.createdAt)),
          ),
          { orderId: o.orderId },
        );
        return row;
      }),
    );
  }
  byId("page-number").textContent = `${m().page} ${cursors.length}`;
  byId("newer").disabled = cursors.length <= 1;
  byId("older").disabled = !listAnswer?.nextCursor;
}

function startList() {
  byId("list-view").hidden = false;
  sessionStorage.setItem("merchantListQuery", location.search);
  renderFilters();
  byId("filters").onsubmit = (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const next = new URLSearchParams();
    for (const [name, value] of form) if (String(value).trim()) next.set(name, value.trim());
    if (params.has("limit")) next.set("limit", String(PAGE_SIZE));
    // A new search: the URL says what is shown, and page 1 again.
    const search = next.toString();
    location.assign(`/merchant${search ? `?${search}` : ""}`);
  };
  byId("clear").onclick = () => location.assign("/merchant");
  byId("older").onclick = () => {
    if (!listAnswer?.nextCursor) return;
    cursors.push(listAnswer.nextCursor);
    loadList();
  };
  byId("newer").onclick = () => {
    if (cursors.length <= 1) return;
    cursors = cursors.slice(0, -1);
    loadList();
  };
  loadList();
}

/* ---------------------------------------------------------------- saved cards */

// A customer's saved cards (docs/saved-cards.md): GET /merchant/customers/{customerRef}/cards,
// and DELETE /merchant/cards/{cardId}. `?customer=REF` in the page's URL shows them.
const customer = params.get("customer");
let cardsAnswer;
let cardsError;

async function loadCards() {
  cardsError = undefined;
  byId("cards-message").textContent = m().loading;
  try {
    cardsAnswer = await readAnswer(
      await fetch(`/merchant/customers/${encodeURIComponent(customer)}/cards`),
    );
  } catch (error) {
    cardsAnswer = undefined;
    cardsError = error.message;
  }
  renderCards();
}

function renderCards() {
  byId("c-customer").value = customer ?? "";
  const message = byId("cards-message");
  message.classList.toggle("error", Boolean(cardsError));
  message.textContent = cardsError ? `${m().loadFailed}: ${cardsError}` : "";
  const cards = cardsAnswer?.cards ?? [];
  byId("cards").replaceChildren(
    ...cards.map((card) => {
      const remove = element("button", { type: "button", textContent: m().deleteCard });
      remove.onclick = () => deleteCard(card.cardId);
      return withData(
        element(
          "tr",
          {},
          element("td", { className: "mono" }, card.cardMask),
          element("td", {}, card.cardType),
          element("td", { className: "mono" }, card.expiry),
          element("td", {}, m().cardTypes[card.type] ?? card.type),
          element("td", { className: "mono" }, card.cardId),
          element("td", { title: card.createdAt }, when(card.createdAt)),
          element("td", {}, remove),
        ),
        { cardId: card.cardId, testid: "card" },
      );
    }),
  );
  const shown = cardsAnswer !== undefined;
  byId("no-cards").hidden = !shown || cards.length > 0;
  byId("cards").closest(".table-wrap").hidden = cards.length === 0;
}

async function deleteCard(cardId) {
  if (!confirm(fill(m().confirmDeleteCard, { card: cardId }))) return;
  const message = byId("cards-message");
  try {
    await readAnswer(
      await fetch(`/merchant/cards/${encodeURIComponent(cardId)}`, { method: "DELETE" }),
    );
  } catch (error) {
    message.classList.add("error");
    message.textContent = `${m().operationFailed}: ${error.message}`;
    return;
  }
  await loadCards();
  byId("cards-message").textContent = m().cardDeleted;
}

function startCards() {
  byId("cards-view").hidden = false;
  byId("cards-form").onsubmit = (event) => {
    event.preventDefault();
    const value = new FormData(event.target).get("customer")?.trim();
    if (value) location.assign(`/merchant?customer=${encodeURIComponent(value)}`);
  };
  renderCards();
  if (customer) loadCards();
}

/* ---------------------------------------------------------------- one order */

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

function renderOrder() {
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

function startOrder() {
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

/* ---------------------------------------------------------------- start */

applyLanguage(() => {
  if (orderId) renderOrder();
  else {
    renderFilters();
    renderList();
    renderCards();
  }
}, m);
if (orderId) startOrder();
else {
  startList();
  startCards();
}
