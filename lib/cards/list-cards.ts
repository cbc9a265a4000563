import { type CardView, cardView } from "./card.js";
import type { CardStore } from "./card-store.js";

/**
 * `GET /merchant/customers/{customerRef}/cards`: the customer's cards that are not
 * deleted, oldest first, one Query of the customer index; another customer's cards
 * never show (the index's key is the customer).
 */
export async function listCards(
  customerRef: string,
  cards: CardStore,
): Promise<{ cards: CardView[] }> {
  const found = await cards.listByCustomer(customerRef);
  return {
    cards: found
      .filter((card) => card.customerRef === customerRef && card.deletedAt === null)
      .map(cardView),
  };
}
