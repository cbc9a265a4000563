// The demo shop's frontend, and an example for your own: it holds no secret and no
// price it trusts. It lists the catalog, keeps a cart, and starts a payment with
// POST /orders, the same Idempotency-Key for the same cart, so a double click or a
// retry never makes a second order. Prices shown here are for display; the server
// prices the order from its catalog.
import { applyLanguage, fromMinor, lang, t, toMinor } from "./i18n.js";

// Where the payment API is: "" is this server. For your shop, the ApiUrl that
// `npx cdk deploy` prints.
const API_BASE = "";

// Installments (the bank's `bog_loan`): offered for GEL baskets from this total, after
// discounts. The demo's own choice; the bank's terms for your shop may differ.
const INSTALLMENTS_FROM = "300.00";
const INSTALLMENTS_CURRENCY = "GEL";
const INSTALLMENT_MONTHS = [3, 6, 12, 24];
// In a real shop the plan code is the `discount_code` the bank's installment calculator
// returns (docs/create-order-options.md); the sandbox accepts any non-empty code,
// so the demo sends this clearly fake one.
const DEMO_LOAN_CODE = "sandbox-demo-loan";

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

/** The catalog's discount off one unit, in minor units: GET /products gives null for none. */
const discountMinor = (p) => (p.unitDiscount ? toMinor(p.unitDiscount) : 0);
/** What one unit costs after the discount, in minor units (no floats), as the server prices it. */
const unitMinor = (p) => toMinor(p.unitPrice) - discountMinor(p);
const discounted = (p) => discountMinor(p) > 0;

/**
 * A unit price as the bank's page shows it: the old price struck through and the price
 * after the discount, or just the price.
 */
function unitPriceView(p) {
  if (!discounted(p)) return [`${p.unitPrice} ${p.currency}`];
  return [
    element("span", { className: "visually-hidden" }, `${t().oldPrice} `),
    element("s", { className: "old-price" }, p.unitPrice),
    " ",
    element("span", { className: "visually-hidden" }, `${t().newPrice} `),
    element("strong", { className: "new-price" }, `${fromMinor(unitMinor(p))} ${p.currency}`),
  ];
}

function renderProducts() {
  const list = document.getElementById("products");
  list.replaceChildren(
    ...products.map((p) =>
      element(
        "li",
        { className: "product" },
        element("span", { className: "name" }, p.description),
        element("span", { className: "price" }, ...unitPriceView(p)),
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
      const name = discounted(p)
        ? element(
            "span",
            { className: "name" },
            p.description,
            element("span", { className: "unit" }, ...unitPriceView(p), ` ${t().each}`),
          )
        : element("span", { className: "name" }, p.description);
      return element(
        "li",
        {},
        name,
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
          `${fromMinor(unitMinor(p) * quantity)} ${p.currency}`,
        ),
      );
    }),
  );
  const total = known.reduce((sum, p) => sum + unitMinor(p) * cart.get(p.productId), 0);
  document.getElementById("cart-total").textContent =
    `${fromMinor(total)} ${known[0]?.currency ?? ""}`.trim();
  document.getElementById("cart-empty").hidden = known.length > 0;
  document.getElementById("checkout").disabled = known.length === 0;
  renderPlan(known, total);
}

/** Installments: only for a GEL basket of at least INSTALLMENTS_FROM. */
function installmentsAllowed(known, total) {
  return (
    known.length > 0 &&
    known.every((p) => p.currency === INSTALLMENTS_CURRENCY) &&
    total >= toMinor(INSTALLMENTS_FROM)
  );
}

function renderPlan(known, total) {
  const allowed = installmentsAllowed(known, total);
  const plan = document.getElementById("plan");
  plan.hidden = !allowed;
  if (!allowed) document.querySelector('input[name="plan"][value="full"]').checked = true;
  const hint = document.getElementById("installments-hint");
  hint.hidden = allowed || known.length === 0;
  hint.textContent = t().installmentsFrom(`${INSTALLMENTS_FROM} ${INSTALLMENTS_CURRENCY}`);
  const months = document.getElementById("months");
  const chosen = months.value;
  months.replaceChildren(
    ...INSTALLMENT_MONTHS.map((n) =>
      element("option", { value: String(n), textContent: t().monthsOption(n) }),
    ),
  );
  if (chosen) months.value = chosen;
  const installments = allowed && chosenPlan() === "installments";
  document.getElementById("months-row").hidden = !installments;
  const note = document.getElementById("demo-loan-code");
  note.hidden = !installments;
  note.textContent = t().demoLoanCode(DEMO_LOAN_CODE);
}

const chosenPlan = () => document.querySelector('input[name="plan"]:checked')?.value ?? "full";

/**
 * The body of POST /orders. With installments: exactly one loan method and the plan
 * (in a real shop, the calculator's `discount_code` and `month`).
 */
function orderBody(items) {
  const body = { items, locale: lang() };
  if (!document.getElementById("plan").hidden && chosenPlan() === "installments") {
    body.paymentMethods = ["bog_loan"];
    body.loan = { code: DEMO_LOAN_CODE, months: Number(document.getElementById("months").value) };
  }
  return body;
}

/** One Idempotency-Key per order content: the same cart and plan, the same order. */
function idempotencyKey(body) {
  const signature = `checkout:${JSON.stringify(body)}`;
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
  const body = orderBody(items);
  button.disabled = true;
  message.textContent = t().paying;
  try {
    const response = await fetch(`${API_BASE}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey(body) },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (response.status !== 201)
      throw new Error(answer.error?.message ?? `HTTP ${response.status}`);
    // Remember the order for this tab, then hand the customer to the bank.
    sessionStorage.setItem("lastOrder", answer.orderId);
    location.assign(answer.redirectUrl);
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
  for (const radio of document.querySelectorAll('input[name="plan"]')) radio.onchange = renderCart;
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
