import { m, statusLabel } from "./merchant-i18n.js";
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

export function renderFilters() {
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

export function renderList() {
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

export function startList() {
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
