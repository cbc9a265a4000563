// The demo shop's frontend, and an example for your own: it holds no secret and no
// price it trusts. It lists the catalog, keeps a cart, and starts a payment with
// POST /orders, the same Idempotency-Key for the same cart, so a double click or a
// retry never makes a second order. Prices shown here are for display; the server
// prices the order from its catalog.
import { applyLanguage, fromMinor, lang, t, toMinor } from "./i18n.js";

// Where the payment API is: "" is this server. For your shop, the ApiUrl that
// `npx cdk deploy` prints.
const API_BASE = "";

let products = [];
const cart = new Map(JSON.parse(sessionStorage.getItem("cart") ?? "[]"));

function saveCart() {
  sessionStorage.setItem("cart", JSON.stringify([...cart]));
}

function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

function renderProducts() {
  const list = document.getElementById("products");
  list.replaceChildren(
    ...products.map((p) =>
      element(
        "li",
        { className: "product" },
        element("span", { className: "name" }, p.description),
        element("span", { className: "price" }, `${p.unitPrice} ${p.currency}`),
        element("button", {
          type: "button",
          textContent: t().add,
          onclick: () => {
            cart.set(p.productId, (cart.get(p.productId) ?? 0) + 1);
            saveCart();
            renderCart();
          },
        }),
      ),
    ),
  );
}

function renderCart() {
  const lines = document.getElementById("cart-lines");
  const known = products.filter((p) => cart.has(p.productId));
  lines.replaceChildren(
    ...known.map((p) => {
      const quantity = cart.get(p.productId);
      const change = (delta) => () => {
        const next = quantity + delta;
        if (next <= 0) cart.delete(p.productId);
        else cart.set(p.productId, next);
        saveCart();
        renderCart();
      };
      return element(
        "li",
        {},
        element("span", { className: "name" }, p.description),
        element("button", {
          type: "button",
          textContent: "−",
          ariaLabel: t().less,
          onclick: change(-1),
        }),
        element("output", { ariaLabel: p.description }, String(quantity)),
        element("button", {
          type: "button",
          textContent: "+",
          ariaLabel: t().more,
          onclick: change(1),
        }),
        element(
          "span",
          { className: "price" },
          `${fromMinor(toMinor(p.unitPrice) * quantity)} ${p.currency}`,
        ),
      );
    }),
  );
  const total = known.reduce((sum, p) => sum + toMinor(p.unitPrice) * cart.get(p.productId), 0);
  document.getElementById("cart-total").textContent =
    `${fromMinor(total)} ${known[0]?.currency ?? ""}`.trim();
  document.getElementById("cart-empty").hidden = known.length > 0;
  document.getElementById("checkout").disabled = known.length === 0;
}

/** One Idempotency-Key per cart content: the same cart, the same order. */
function idempotencyKey(items) {
  const signature = `checkout:${lang()}:${JSON.stringify(items)}`;
  let key = sessionStorage.getItem(signature);
  if (!key) {
    key = crypto.randomUUID();
    sessionStorage.setItem(signature, key);
  }
  return key;
}

async function checkout() {
  const button = document.getElementById("checkout");
  const message = document.getElementById("message");
  const items = [...cart].sort().map(([productId, quantity]) => ({ productId, quantity }));
  button.disabled = true;
  message.textContent = t().paying;
  try {
    const response = await fetch(`${API_BASE}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey(items) },
      body: JSON.stringify({ items, locale: lang() }),
    });
    const body = await response.json();
    if (response.status !== 201) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    // Remember the order for this tab, then hand the customer to the bank.
    sessionStorage.setItem("lastOrder", body.orderId);
    location.assign(body.redirectUrl);
  } catch (error) {
    message.textContent = `${t().checkoutFailed}: ${error.message}`;
    button.disabled = false;
  }
}

async function start() {
  applyLanguage(() => {
    renderProducts();
    renderCart();
  });
  document.getElementById("checkout").onclick = checkout;
  try {
    const response = await fetch(`${API_BASE}/products`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    products = (await response.json()).products;
  } catch {
    document.getElementById("message").textContent = t().loadFailed;
  }
  renderProducts();
  renderCart();
}

start();
