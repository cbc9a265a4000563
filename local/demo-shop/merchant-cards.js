import { fill, m, when } from "./merchant-i18n.js";
import { byId, element, params, readAnswer, withData } from "./merchant-page.js";

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

export function renderCards() {
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

export function startCards() {
  byId("cards-view").hidden = false;
  byId("cards-form").onsubmit = (event) => {
    event.preventDefault();
    const value = new FormData(event.target).get("customer")?.trim();
    if (value) location.assign(`/merchant?customer=${encodeURIComponent(value)}`);
  };
  renderCards();
  if (customer) loadCards();
}
