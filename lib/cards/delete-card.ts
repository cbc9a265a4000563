import type { BogClient } from "../bog/client.js";
import { cardNotFound } from "../domain-error.js";
import { derivedUuidV4, isUuid } from "../ids.js";
import { isoSeconds } from "../iso-time.js";
import type { Log } from "../log.js";
import type { CardStore } from "./card-store.js";

/**
 * `DELETE /merchant/cards/{cardId}` (docs/saved-cards.md): the bank deletes the card first,
 * then it is marked deleted here, so that a card we still show is never one the bank
 * has forgotten only half. A bank failure leaves the card as it was, for a retry
 * (the bank's Idempotency-Key is derived from the card, so a retry is the same
 * request). Deleting a deleted or unknown card is `card_not_found`.
 */

export interface DeleteCardDeps {
  cards: CardStore;
  bank: BogClient;
  log: Log;
  now: () => number;
}

export async function deleteCard(
  cardId: string,
  deadline: number,
  deps: DeleteCardDeps,
): Promise<void> {
  if (!isUuid(cardId)) throw cardNotFound();
  const card = await deps.cards.get(cardId.toLowerCase());
  if (!card || card.deletedAt !== null) throw cardNotFound();
  deps.log.appendKeys({ cardId: card.cardId });
  await deps.bank.deleteSavedCard(card.parentBankOrderId, {
    idempotencyKey: derivedUuidV4(`${card.cardId}\ndeleteCard`),
    deadline,
  });
  if (!(await deps.cards.markDeleted(card.cardId, isoSeconds(deps.now())))) throw cardNotFound();
  // Stryker disable next-line ObjectLiteral: appendKeys({ cardId }) above puts the card id on every line of the request, this one included
  deps.log.info("card deleted", { cardId: card.cardId });
}
