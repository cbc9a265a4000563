/**
 * Counts of what the sandbox served, for tests that count round trips
 * (`GET /_sandbox/stats`). Every request to an endpoint counts, whatever its answer,
 * faulted ones included. Callback attempts: `callbacksSent` are the ones the shop
 * acknowledged with 200, `callbacksFailed` the ones it did not (an error status, a
 * timeout, a refused connection, or an injected fault); together they are every attempt.
 */
export interface Stats {
  token: number;
  createOrder: number;
  receipt: number;
  refund: number;
  approve: number;
  cancel: number;
  /** Apple Pay tokens sent to `POST /payments/v1/ecommerce/orders/{id}/payment`. */
  applePay: number;
  /** `PUT /orders/{id}/cards` and `/subscriptions`. */
  saveCard: number;
  /** `POST /ecommerce/orders/{parent_order_id}`: a saved card's charge with the customer. */
  cardOrder: number;
  /** `POST /ecommerce/orders/{parent_order_id}/subscribe`: an automatic charge. */
  subscribe: number;
  /** `DELETE /charges/card/{order_id}`. */
  deleteCard: number;
  callbacksSent: number;
  callbacksFailed: number;
  /** Orders actually created (a replayed Idempotency-Key creates none). */
  ordersCreated: number;
}

export function emptyStats(): Stats {
  return {
    token: 0,
    createOrder: 0,
    receipt: 0,
    refund: 0,
    approve: 0,
    cancel: 0,
    applePay: 0,
    saveCard: 0,
    cardOrder: 0,
    subscribe: 0,
    deleteCard: 0,
    callbacksSent: 0,
    callbacksFailed: 0,
    ordersCreated: 0,
  };
}
