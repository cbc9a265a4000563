// @ts-check
/**
 * Mutation testing runs in groups: each mutates a few files of the money rules and runs
 * the tests that state their rules, not every test that happens to execute them. A
 * mutant of `lib/money.ts` runs the money and pricing tests in seconds, where
 * per-test coverage across the whole suite would also run every function test that
 * parses an amount (minutes for each surviving mutant on a 2-core machine). Each group
 * has its own incremental file (test/mutation/incremental/<name>.json), committed.
 *
 * `baselined: true` marks a group whose full run has not been committed yet, or whose
 * committed score is still under the break: plain `npm run test:mutation` (and so CI)
 * skips it.
 * README "Mutation testing" lists them.
 *
 * @type {Array<{ name: string; mutate: string[]; testFiles: string[]; baselined: boolean }>}
 */
export const groups = [
  {
    name: "money",
    mutate: ["lib/money.ts"],
    testFiles: ["test/unit/money.test.ts", "test/unit/pricing.test.ts"],
    baselined: true,
  },
  {
    name: "ids",
    mutate: ["lib/ids.ts"],
    testFiles: ["test/unit/ids.test.ts"],
    baselined: true,
  },
  {
    name: "callback",
    mutate: ["lib/bog/callback-signature.ts", "lib/bog/callback-event.ts"],
    testFiles: [
      "test/unit/callback-event.test.ts",
      "test/unit/callback-signature.test.ts",
      "test/unit/payment-details.test.ts",
      "test/functions/callback.test.ts",
    ],
    baselined: true,
  },
  {
    name: "payment-details",
    mutate: ["lib/bog/payment-details.ts"],
    testFiles: [
      "test/unit/payment-details.test.ts",
      "test/unit/callback-event.test.ts",
      "test/unit/payment-actions.test.ts",
    ],
    baselined: true,
  },
  {
    name: "token",
    mutate: ["lib/bog/token-*.ts"],
    testFiles: [
      "test/unit/token-lifetime.test.ts",
      "test/bank/token-cache.test.ts",
      "test/bank/token-endpoint.test.ts",
      "test/bank/token-store.test.ts",
      "test/bank/token-unreadable-lifetime.test.ts",
    ],
    baselined: true,
  },
  {
    name: "status",
    mutate: [
      "lib/orders/status-order.ts",
      "lib/orders/order-status.ts",
      "lib/orders/refresh-from-bank.ts",
    ],
    testFiles: [
      "test/functions/get-status.test.ts",
      "test/functions/get-status-refresh.test.ts",
      "test/functions/callback.test.ts",
      "test/functions/one-lookup-path.test.ts",
    ],
    baselined: true,
  },
  {
    name: "pricing",
    mutate: [
      "lib/orders/pricing.ts",
      "lib/orders/request-fields.ts",
      "lib/orders/order-request.ts",
      "lib/orders/hold-methods.ts",
      "lib/orders/line-details.ts",
    ],
    testFiles: [
      "test/unit/pricing.test.ts",
      "test/unit/order-request.test.ts",
      "test/unit/request-validation.test.ts",
      "test/functions/create-order.test.ts",
      "test/functions/bad-input.test.ts",
      "test/functions/hold-methods.test.ts",
      "test/unit/line-details.test.ts",
      "test/unit/catalog-file-details.test.ts",
      "test/functions/basket-fields.test.ts",
    ],
    baselined: true,
  },
  {
    name: "callback-rules",
    mutate: [
      "lib/orders/handle-callback.ts",
      "lib/orders/callback-trust.ts",
      "lib/orders/apply-bank-answer.ts",
    ],
    testFiles: [
      "test/functions/callback.test.ts",
      "test/functions/callback-trust.test.ts",
      "test/functions/callback-outcomes-logged.test.ts",
      "test/functions/callback-observed.test.ts",
      "test/functions/apply-bank-answer.test.ts",
    ],
    baselined: true,
  },
  {
    name: "orders",
    mutate: ["lib/orders/place-order.ts", "lib/orders/create-order.ts"],
    testFiles: [
      "test/functions/place-order.test.ts",
      "test/functions/basket-fields.test.ts",
      "test/functions/subscription-charge-race.test.ts",
      "test/functions/create-order.test.ts",
      "test/functions/create-order-concurrency.test.ts",
      "test/functions/idempotency-contention.test.ts",
      "test/functions/order-options.test.ts",
      "test/functions/item-discounts.test.ts",
      "test/functions/metrics.test.ts",
      "test/functions/wallet.test.ts",
      "test/functions/saved-cards.test.ts",
      "test/functions/callback-trust.test.ts",
    ],
    baselined: true,
  },
  {
    name: "order-repository",
    mutate: ["lib/orders/order-repository.ts"],
    testFiles: [
      "test/functions/discounted-hold.test.ts",
      "test/functions/place-order.test.ts",
      "test/functions/create-order.test.ts",
      "test/functions/create-order-concurrency.test.ts",
      "test/functions/idempotency-contention.test.ts",
      "test/functions/callback.test.ts",
      "test/functions/callback-trust.test.ts",
      "test/functions/callback-observed.test.ts",
      "test/functions/apply-bank-answer.test.ts",
      "test/functions/get-status.test.ts",
      "test/functions/wallet.test.ts",
      "test/functions/merchant-api.test.ts",
      "test/functions/item-discounts.test.ts",
      "test/functions/charged-amount.test.ts",
      "test/functions/callback-outcomes-logged.test.ts",
    ],
    baselined: true,
  },
  {
    name: "merchant-operations",
    mutate: [
      "lib/orders/merchant/request-operation.ts",
      "lib/orders/merchant/operation-request.ts",
      "lib/orders/merchant/operation-store.ts",
      "lib/orders/merchant/settle-operations.ts",
    ],
    testFiles: [
      "test/functions/refusal-lookup.test.ts",
      "test/functions/rejected-operations.test.ts",
      "test/functions/discounted-hold.test.ts",
      "test/unit/settle-operations.test.ts",
      "test/functions/merchant-operation-answers.test.ts",
      "test/functions/merchant-api.test.ts",
      "test/unit/settle-publish-count-rules.test.ts",
      "test/functions/apply-bank-answer.test.ts",
      "test/functions/callback.test.ts",
    ],
    baselined: true,
  },
  {
    name: "sweep",
    mutate: [
      "lib/orders/reconcile/*.ts",
      "lib/orders/open-index.ts",
      "lib/orders/open-orders.ts",
      "lib/orders/order-leases.ts",
    ],
    testFiles: [
      "test/functions/reconcile.test.ts",
      "test/functions/reconcile-edge-cases.test.ts",
      "test/functions/get-status-refresh.test.ts",
      "test/functions/callback-trust.test.ts",
      "test/functions/sweep-rules.test.ts",
      "test/functions/sweep-pages.test.ts",
      "test/unit/sweep-decisions.test.ts",
      "test/functions/apply-bank-answer.test.ts",
      "test/functions/subscription-charge-race.test.ts",
    ],
    baselined: true,
  },
  {
    name: "cards",
    mutate: ["lib/cards/*.ts"],
    testFiles: [
      "test/functions/saved-cards.test.ts",
      "test/bank/saved-cards.test.ts",
      "test/functions/card-events.test.ts",
      "test/functions/saved-card-rules.test.ts",
      "test/unit/card-rules.test.ts",
    ],
    baselined: true,
  },
  {
    name: "merchant-orders",
    mutate: [
      "lib/orders/merchant/create-merchant-order.ts",
      "lib/orders/merchant/merchant-order-request.ts",
      "lib/orders/merchant/merchant-order.ts",
      "lib/orders/merchant/merchant-views.ts",
      "lib/orders/merchant/list-orders.ts",
      "lib/orders/order-list.ts",
      "lib/orders/order-history.ts",
    ],
    testFiles: [
      "test/functions/merchant-api.test.ts",
      "test/functions/order-options.test.ts",
      "test/functions/item-discounts.test.ts",
      "test/functions/order-list.test.ts",
      "test/unit/merchant-order-request.test.ts",
      "test/unit/merchant-list-query.test.ts",
      "test/functions/hold-methods.test.ts",
    ],
    baselined: true,
  },
  {
    name: "events",
    mutate: ["lib/events/*.ts"],
    testFiles: [
      "test/unit/order-event.test.ts",
      "test/unit/card-event.test.ts",
      "test/unit/webhook-key.test.ts",
      "test/unit/event-record-edges.test.ts",
      "test/unit/settle-publish-count-rules.test.ts",
      "test/functions/order-events.test.ts",
      "test/functions/card-events.test.ts",
      "test/functions/saved-card-rules.test.ts",
      "test/unit/card-rules.test.ts",
    ],
    baselined: true,
  },
  {
    name: "wallets",
    mutate: ["lib/orders/wallet*.ts"],
    testFiles: [
      "test/functions/wallet.test.ts",
      "test/functions/wallet-edge-cases.test.ts",
      "test/functions/wallet-rules.test.ts",
    ],
    baselined: true,
  },
  {
    name: "order-model",
    mutate: [
      "lib/orders/order.ts",
      "lib/orders/order-item.ts",
      "lib/orders/order-view.ts",
      "lib/orders/order-options.ts",
      "lib/orders/bank-placement.ts",
      "lib/orders/order-metrics.ts",
      "lib/orders/catalog.ts",
      "lib/orders/catalog-file.ts",
    ],
    testFiles: [
      "test/functions/create-order.test.ts",
      "test/functions/get-status.test.ts",
      "test/functions/order-options.test.ts",
      "test/functions/loan-and-campaign.test.ts",
      "test/functions/item-discounts.test.ts",
      "test/functions/list-products.test.ts",
      "test/functions/metrics.test.ts",
      "test/unit/settle-publish-count-rules.test.ts",
      "test/unit/order-model-rules.test.ts",
      "test/infra/catalog-import.test.ts",
      "test/unit/catalog-file.test.ts",
      "test/functions/catalog-repository.test.ts",
      "test/functions/saved-cards.test.ts",
      "test/functions/saved-card-rules.test.ts",
    ],
    baselined: true,
  },
];
