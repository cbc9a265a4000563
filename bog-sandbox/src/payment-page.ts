import { twoPlaces as formatAmount } from "./amounts.js";
import {
  CARD_TYPES,
  isOneOf,
  type Language,
  MANUAL_CAPTURE_METHODS,
  PAYMENT_METHODS,
  type PaymentMethod,
} from "./document.js";
import { html, type Reply, redirect } from "./http.js";
import {
  type CardChoice,
  CLIENT_DISCOUNT_PERCENT,
  defaultCard,
  offeredMethods,
  pay,
} from "./lifecycle.js";
import type { SandboxOrder } from "./order-model.js";
import type { RequestContext, Route } from "./routes.js";

/**
 * The bank's payment page, as a person sees it: the shop, the items, the amount,
 * and Pay / Decline. A click moves the order, sends the signed callback, then
 * sends the browser to the shop's success or fail page (or to the sandbox's own
 * receipt page, as the bank does when the shop gave none).
 */

const TEXT = {
  ka: {
    title: "გადახდა",
    sandbox: "საქართველოს ბანკი · სატესტო გარემო (ნამდვილი ფული არ გადაირიცხება)",
    merchant: "მაღაზია",
    item: "პროდუქტი",
    quantity: "რაოდენობა",
    unitPrice: "ფასი",
    lineTotal: "ჯამი",
    delivery: "მიწოდება",
    total: "გადასახდელი",
    expires: "გადახდის ვადა",
    method: "გადახდის მეთოდი",
    pay: "გადახდა",
    decline: "უარყოფა",
    expired: "შეკვეთის ვადა ამოიწურა.",
    notFound: "შეკვეთა ვერ მოიძებნა.",
    status: "სტატუსი",
    back: "მაღაზიაში დაბრუნება",
    receipt: "ქვითარი",
    discount: "ფასდაკლება",
    loan: "განვადება",
    months: "თვე",
    card: "ბარათის ტიპი",
    savedCard: "შენახული ბარათი",
    campaignDiscount: (card: string) =>
      `${CLIENT_DISCOUNT_PERCENT}% ფასდაკლება ${card} ბარათით გადახდისას`,
    campaignRestrict: (card: string) => `გადახდა მხოლოდ ${card} ბარათით`,
  },
  en: {
    title: "Payment",
    sandbox: "Bank of Georgia · sandbox (no real money moves)",
    merchant: "Shop",
    item: "Item",
    quantity: "Qty",
    unitPrice: "Price",
    lineTotal: "Total",
    delivery: "Delivery",
    total: "Amount to pay",
    expires: "Pay before",
    method: "Payment method",
    pay: "Pay",
    decline: "Decline",
    expired: "This order has expired.",
    notFound: "Order not found.",
    status: "Status",
    back: "Back to the shop",
    receipt: "Receipt",
    discount: "Discount",
    loan: "Installments",
    months: "months",
    card: "Card type",
    savedCard: "Saved card",
    campaignDiscount: (card: string) =>
      `${CLIENT_DISCOUNT_PERCENT}% off when you pay with a ${card} card`,
    campaignRestrict: (card: string) => `Only ${card} cards can pay`,
  },
} as const;

const STATUS_TEXT: Record<string, { ka: string; en: string }> = {
  completed: { ka: "გადახდა წარმატებულია", en: "Payment completed" },
  rejected: { ka: "გადახდა უარყოფილია", en: "Payment rejected" },
  blocked: { ka: "თანხა დაბლოკილია", en: "Amount authorised (blocked)" },
  refunded: { ka: "თანხა დაბრუნებულია", en: "Refunded" },
  refunded_partially: { ka: "თანხა ნაწილობრივ დაბრუნებულია", en: "Partially refunded" },
  partial_completed: { ka: "ნაწილობრივ დასრულებული", en: "Partially completed" },
  created: { ka: "ელოდება გადახდას", en: "Awaiting payment" },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(lang: Language, theme: "light" | "dark", title: string, content: string): string {
  const dark = theme === "dark";
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  :root { color-scheme: ${dark ? "dark" : "light"}; }
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: ${dark ? "#15171a" : "#f3f5f7"}; color: ${dark ? "#f1f1f1" : "#1c1c1c"}; }
  main { max-width: 34rem; margin: 2rem auto; padding: 1.5rem; background: ${dark ? "#22252a" : "#fff"}; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  .bank { color: #ff6a13; font-weight: 600; font-size: .9rem; margin: 0 0 1rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  th, td { text-align: left; padding: .4rem .25rem; border-bottom: 1px solid ${dark ? "#3a3d42" : "#e3e6e9"}; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .total { font-size: 1.3rem; font-weight: 700; }
  .actions { display: flex; gap: .75rem; margin-top: 1.25rem; }
  button { flex: 1; font: inherit; padding: .75rem; border-radius: 8px; border: 2px solid transparent; cursor: pointer; }
  button.pay { background: #ff6a13; color: #1c1c1c; font-weight: 700; }
  button.decline { background: transparent; color: inherit; border-color: currentColor; }
  button:focus-visible { outline: 3px solid #3b82f6; outline-offset: 2px; }
  .status { font-size: 1.2rem; font-weight: 700; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  a { color: ${dark ? "#8cb4ff" : "#0b57d0"}; }
</style>
</head>
<body><main>
<p class="bank">${escapeHtml(title)}</p>
${content}
</main></body>
</html>`;
}

function orderTable(order: SandboxOrder, lang: Language): string {
  const t = TEXT[lang];
  const discounted = order.items.some((item) => item.unitDiscountPrice > 0);
  const rows = order.items
    .map((item) => {
      const unit = item.unitPrice - item.unitDiscountPrice;
      const id = item.productDiscountId ? ` (${escapeHtml(item.productDiscountId)})` : "";
      const discount = discounted
        ? `<td class="num" data-testid="item-discount">${item.unitDiscountPrice > 0 ? `−${formatAmount(item.unitDiscountPrice)}${id}` : ""}</td>`
        : "";
      return `<tr><td>${escapeHtml(item.description ?? item.productId)}</td><td class="num">${item.quantity}</td><td class="num">${formatAmount(item.unitPrice)}</td>${discount}<td class="num">${formatAmount(unit * item.quantity)}</td></tr>`;
    })
    .join("\n");
  const span = discounted ? 4 : 3;
  const delivery =
    order.delivery > 0
      ? `<tr><td colspan="${span}">${t.delivery}</td><td class="num">${formatAmount(order.delivery)}</td></tr>`
      : "";
  const discountHead = discounted ? `<th scope="col" class="num">${t.discount}</th>` : "";
  const campaignDiscount = order.discount
    ? `<p>${t.discount}: <span data-testid="campaign-discount">−${formatAmount(order.discount.amount)} ${order.currency}</span></p>`
    : "";
  return `<table>
<caption class="visually-hidden">${t.item}</caption>
<thead><tr><th scope="col">${t.item}</th><th scope="col" class="num">${t.quantity}</th><th scope="col" class="num">${t.unitPrice}</th>${discountHead}<th scope="col" class="num">${t.lineTotal}</th></tr></thead>
<tbody>
${rows}
${delivery}
</tbody>
</table>
<p>${t.total}: <span class="total" data-testid="amount">${formatAmount(order.total)} ${order.currency}</span></p>
${campaignDiscount}${optionsText(order, lang)}`;
}

/** The plan and months of an installment order, and a card campaign's terms. */
function optionsText(order: SandboxOrder, lang: Language): string {
  const t = TEXT[lang];
  const { loan, campaign } = order.config;
  const parts: string[] = [];
  if (loan) {
    const terms = [loan.type, loan.month === null ? null : `${loan.month} ${t.months}`]
      .filter((part) => part !== null)
      .join(", ");
    parts.push(
      `<p data-testid="loan">${t.loan} (${escapeHtml(order.paymentMethods[0] ?? "bog_loan")})${terms ? `: ${escapeHtml(terms)}` : ""}</p>`,
    );
  }
  if (campaign?.card && campaign.type) {
    const terms =
      campaign.type === "client_discount"
        ? t.campaignDiscount(campaign.card)
        : t.campaignRestrict(campaign.card);
    parts.push(`<p data-testid="campaign">${escapeHtml(terms)}</p>`);
  }
  return parts.join("\n");
}

/** The frame of both order pages: the shop's name and the order, then `rest`. */
function orderPage(ctx: RequestContext, order: SandboxOrder, rest: string): string {
  const merchant = ctx.bank.merchantOf(order);
  const shop = order.lang === "ka" ? merchant.brandKa : merchant.brandEn;
  return layout(
    order.lang,
    order.theme,
    TEXT[order.lang].sandbox,
    `<h1>${escapeHtml(shop)}</h1>
${orderTable(order, order.lang)}
${rest}`,
  );
}

function statusPage(ctx: RequestContext, order: SandboxOrder): string {
  const lang = order.lang;
  const t = TEXT[lang];
  const message =
    order.rejectReason === "expiration"
      ? t.expired
      : (STATUS_TEXT[order.status]?.[lang] ?? order.status);
  const receipt = ctx.bank.receipt(order);
  const back =
    order.status === "completed" || order.status === "blocked"
      ? receipt.redirect_links.success
      : receipt.redirect_links.fail;
  const backLink = back.startsWith(`${ctx.bank.baseUrl}/receipt`)
    ? ""
    : `<p><a href="${escapeHtml(back)}">${t.back}</a></p>`;
  return orderPage(
    ctx,
    order,
    `<p>${t.status}: <span class="status" data-testid="status" data-status="${order.status}">${escapeHtml(message)}</span></p>
${backLink}`,
  );
}

function cardTypeField(order: SandboxOrder, lang: Language, methods: PaymentMethod[]): string {
  if (order.parent) {
    // A saved card's charge: the customer confirms with that card, not another.
    const card = order.parent.card;
    const text = [card.payerIdentifier, card.cardType, card.cardExpiryDate]
      .filter((part) => part !== null)
      .join(" · ");
    return `<p>${TEXT[lang].savedCard}: <span data-testid="saved-card">${escapeHtml(text)}</span></p>`;
  }
  if (!methods.some((m) => MANUAL_CAPTURE_METHODS.includes(m))) return "";
  const campaign = order.config.campaign;
  // A restrict campaign's page offers its card type only, as the bank's page does.
  const types: readonly string[] =
    campaign?.type === "restrict" && campaign.card ? [campaign.card] : [...CARD_TYPES, "solo"];
  const card = defaultCard(order);
  const chosen = card.solo ? "solo" : card.type;
  const options = types
    .map((c) => `<option value="${c}"${c === chosen ? " selected" : ""}>${c}</option>`)
    .join("");
  return `<p><label for="cardType">${TEXT[lang].card}</label> <select id="cardType" name="cardType">${options}</select></p>`;
}

function paymentPage(ctx: RequestContext, order: SandboxOrder, problem?: string): string {
  const lang = order.lang;
  const t = TEXT[lang];
  const methods = offeredMethods(order);
  const methodField =
    methods.length === 1 || order.parent
      ? `<input type="hidden" name="method" value="${methods[0]}">`
      : `<p><label for="method">${t.method}</label> <select id="method" name="method">${methods.map((m) => `<option value="${m}">${m}</option>`).join("")}</select></p>`;
  const expires = new Date(order.expiresAt).toISOString().replace("T", " ").slice(0, 16);
  return orderPage(
    ctx,
    order,
    `<p>${t.expires}: <time datetime="${new Date(order.expiresAt).toISOString()}">${expires} UTC</time></p>
${problem ? `<p role="alert" data-testid="problem">${escapeHtml(problem)}</p>\n` : ""}<form method="post" action="/payment/${order.id}" id="payment">
${methodField}
${cardTypeField(order, lang, methods)}
<div class="actions">
<button type="submit" class="pay" name="outcome" value="completed">${t.pay}</button>
<button type="submit" class="decline" name="outcome" value="rejected">${t.decline}</button>
</div>
</form>`,
  );
}

function notFound(): Reply {
  return html(
    404,
    layout(
      "en",
      "light",
      TEXT.en.sandbox,
      `<h1>${TEXT.en.notFound}</h1><p>${TEXT.ka.notFound}</p>`,
    ),
  );
}

function showOrder(ctx: RequestContext): Reply {
  const id = ctx.url.searchParams.get("order_id");
  if (id === null) {
    return html(
      200,
      layout(
        "en",
        "light",
        TEXT.en.sandbox,
        `<h1>BoG sandbox</h1><p>Payment pages live at <code>/?order_id=…</code>, as the <code>_links.redirect.href</code> of a created order says.</p>`,
      ),
    );
  }
  const order = ctx.bank.find(id);
  if (!order) return notFound();
  return html(200, order.status === "created" ? paymentPage(ctx, order) : statusPage(ctx, order));
}

function showReceipt(ctx: RequestContext): Reply {
  const order = ctx.bank.find(ctx.url.searchParams.get("order_id") ?? "");
  return order ? html(200, statusPage(ctx, order)) : notFound();
}

/** A click on Pay or Decline (an HTML form post). */
async function submit(ctx: RequestContext): Promise<Reply> {
  const order = ctx.bank.find(ctx.params[0] ?? "");
  if (!order) return notFound();
  const form = new URLSearchParams(ctx.body.toString("utf8"));
  const outcome = form.get("outcome") === "completed" ? "completed" : "rejected";
  const requested = form.get("method") ?? order.paymentMethods[0] ?? "card";
  const method: PaymentMethod = isOneOf(PAYMENT_METHODS, requested) ? requested : "card";
  const requestedCard = form.get("cardType");
  const card: CardChoice | undefined =
    requestedCard === "solo"
      ? { type: "mc", solo: true }
      : isOneOf(CARD_TYPES, requestedCard)
        ? { type: requestedCard, solo: false }
        : undefined;
  const { move } = await ctx.bank.apply(order, (o, now) => pay(o, outcome, method, now, card));
  if (!move.ok) {
    const page =
      order.status === "created" ? paymentPage(ctx, order, move.message) : statusPage(ctx, order);
    return html(move.status, page);
  }
  const links = ctx.bank.receipt(order).redirect_links;
  return redirect(order.status === "rejected" ? links.fail : links.success);
}

export const paymentPageRoutes: Route[] = [
  { method: "GET", path: /^\/$/, handler: showOrder },
  { method: "GET", path: /^\/receipt$/, handler: showReceipt },
  { method: "POST", path: /^\/payment\/([^/]+)$/, handler: submit },
];
