/**
 * What the local sandbox (bog-sandbox/) does, in one place: `npm run bank:check`
 * compares the real bank's answers with these and reports every difference. The
 * vitest test runs the check against the sandbox and requires no difference, so this
 * file cannot drift from the sandbox it describes.
 */

/**
 * An object's keys as the sandbox sends them. `"leaf"`: any value (null included).
 * A nested shape is compared only when the bank sends an object there (a null
 * stands for "not yet", e.g. `transfer_method` before payment). `"[]"` is the shape
 * of each element of an array.
 */
export interface Shape {
  [key: string]: Shape | "leaf";
}

const leaves = (...keys: string[]): Shape =>
  Object.fromEntries(keys.map((key) => [key, "leaf" as const]));

/** The payment details (`GET /receipt/{order_id}`), as bog-sandbox/src/receipt.ts builds them. */
const SANDBOX_RECEIPT: Shape = {
  ...leaves("order_id", "external_order_id"),
  client: leaves("id", "brand_ka", "brand_en", "url"),
  ...leaves("create_date", "zoned_create_date", "expire_date", "zoned_expire_date"),
  order_status: leaves("key", "value"),
  buyer: leaves("full_name", "email", "phone_number"),
  redirect_links: leaves("success", "fail"),
  payment_detail: {
    transfer_method: leaves("key", "value"),
    ...leaves(
      "transaction_id",
      "payer_identifier",
      "payment_option",
      "card_type",
      "card_expiry_date",
      "request_account_tag",
      "transfer_account_tag",
      "saved_card_type",
      "parent_order_id",
      "code",
      "code_description",
    ),
  },
  actions: {
    "[]": leaves("action_id", "request_channel", "action", "status", "zoned_action_date", "amount"),
  },
  ...leaves("disputes", "split"),
  discount: leaves(
    "bank_discount_amount",
    "bank_discount_desc",
    "system_discount_amount",
    "system_discount_desc",
    "discounted_amount",
    "original_order_amount",
  ),
  ...leaves("lang", "reject_reason", "industry", "capture"),
  purchase_units: {
    ...leaves("request_amount", "transfer_amount", "refund_amount", "currency_code"),
    items: {
      "[]": leaves(
        "external_item_id",
        "unit_price",
        "description",
        "quantity",
        "unit_discount_price",
        "package_code",
        "total_price",
        "vat",
        "vat_percent",
        "tin",
        "pinfl",
        "product_discount_id",
      ),
    },
  },
};

export const SANDBOX = {
  /** `expires_in` is a number of seconds (the sandbox's default `expiresInFormat`). */
  expiresInForm: "seconds",
  /** Its tokens are JWTs with an `exp` claim. */
  jwtExp: true,
  tokenType: "Bearer",
  /** A page order's create answer has no `status`, and a details link to the receipt. */
  createStatus: null,
  detailsLink: true,
  receipt: SANDBOX_RECEIPT,
  /**
   * Fields the bank's document lists that its genuine callbacks leave out (the sandbox
   * sends them, null until there is a value); the product reads `code` where it is.
   */
  mayBeAbsent: ["payment_detail.code", "payment_detail.code_description"] as readonly string[],
  statusWhenCreated: "created",
  statusWhenPaid: "completed",
  /** Refund answers `{"key":"request_received","message","action_id"}`. */
  refundKey: "request_received",
  refundActionId: true,
  /** A refund moves the order at once (no `refund_requested` step). */
  statusAfterFullRefund: "refunded",
} as const;
