// The page the bank sends the customer back to. The redirect itself proves nothing
// (a customer can open this URL by hand), so it asks the API, which trusts only the
// bank, and polls until the status is final.
import { applyLanguage, t } from "./i18n.js";

const API_BASE = "";
// Statuses the bank may still change by itself: keep asking.
const IN_FLIGHT = new Set([
  "pending",
  "created",
  "processing",
  "auth_requested",
  "refund_requested",
]);
const GIVE_UP_AFTER_MS = 120_000;

const orderId =
  new URLSearchParams(location.search).get("order") ?? sessionStorage.getItem("lastOrder");
let last;

function show() {
  const status = document.getElementById("status");
  if (!last) return;
  if (last.error) {
    status.textContent = last.error;
    status.dataset.status = "error";
    return;
  }
  status.textContent = t().status[last.status] ?? last.status;
  status.dataset.status = last.status;
  document.getElementById("order-id").textContent = last.orderId;
  document.getElementById("amount").textContent = `${last.amount} ${last.currency}`;
  document.getElementById("method").textContent = last.paymentMethod ?? "—";
}

async function poll(started, delay) {
  try {
    const response = await fetch(`${API_BASE}/orders/${encodeURIComponent(orderId)}`);
    if (response.status === 404) {
      last = { error: t().notFound };
      return show();
    }
    if (response.ok) {
      last = await response.json();
      show();
      // Paid: the cart has become an order.
      if (last.status === "completed" || last.status === "blocked")
        sessionStorage.removeItem("cart");
      if (!IN_FLIGHT.has(last.status)) return;
    }
  } catch {
    // The network hiccuped: try again below.
  }
  if (Date.now() - started > GIVE_UP_AFTER_MS) {
    document.getElementById("status").textContent = t().stillWaiting;
    return;
  }
  setTimeout(() => poll(started, Math.min(delay * 1.5, 10_000)), delay);
}

applyLanguage(show);
document.getElementById("status").textContent = t().waiting;
if (orderId) poll(Date.now(), 1000);
else document.getElementById("status").textContent = t().notFound;
