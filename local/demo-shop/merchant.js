// The local back office (`npm start`, /merchant): the merchant API (docs/merchant-api.md) in a
// page. /merchant lists orders (filters and pages); /merchant?order=ID shows one order
// and offers the refund, capture and void its status allows; /merchant?customer=REF also
// shows that customer's saved cards (docs/saved-cards.md), each with a delete button. In AWS the merchant API
// takes IAM-signed requests only and this page has no place there; locally the same
// routes answer on loopback without IAM, which is all this page relies on.
// The page is three parts: the list (merchant-list.js), a customer's saved cards
// (merchant-cards.js) and one order (merchant-order.js), over merchant-page.js.
import { applyLanguage } from "./i18n.js";
import { renderCards, startCards } from "./merchant-cards.js";
import { m } from "./merchant-i18n.js";
import { renderFilters, renderList, startList } from "./merchant-list.js";
import { renderOrder, startOrder } from "./merchant-order.js";
import { params } from "./merchant-page.js";

const orderId = params.get("order");

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
