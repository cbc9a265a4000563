/** The bank's order statuses (order_status.key), as its documentation lists them. */
export const BANK_STATUSES = [
  "created",
  "processing",
  "completed",
  "rejected",
  "refund_requested",
  "refunded",
  "refunded_partially",
  "auth_requested",
  "blocked",
  "partial_completed",
] as const;

export type BankStatus = (typeof BANK_STATUSES)[number];

export function isBankStatus(value: string): value is BankStatus {
  return (BANK_STATUSES as readonly string[]).includes(value);
}
