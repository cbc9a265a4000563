/**
 * A card's expiry as the bank writes it (`MM/YY`): the card works through the last
 * day of that month (UTC, the bank's dates being UTC). An expiry we cannot read is
 * not called expired: the bank has the last word on a card it can charge.
 */
export function isCardExpired(expiry: string | null, now: number): boolean {
  // Stryker disable next-line StringLiteral: a missing expiry fails the MM/YY match either way: not called expired
  const match = /^(\d{2})\/(\d{2})$/.exec(expiry?.trim() ?? "");
  if (!match) return false;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  if (month < 1 || month > 12) return false;
  // The first moment of the month after the expiry month.
  return now >= Date.UTC(year, month, 1);
}
