import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { PaymentDetails } from "../lib/bog/payment-details.js";
import { formatAmount } from "../lib/money.js";
import { type CheckContext, rawPaymentDetails } from "./bank-check-context.js";
import { SANDBOX } from "./bank-check-expectations.js";
import { checkPaymentDetails } from "./bank-check-fields.js";
import { CHECK_AMOUNT } from "./bank-check-order.js";

/**
 * `npm run bank:check -- --after-pay ID`: the paid order's result, read and checked,
 * then a full refund of its 0.01 GEL with the product's client, and the bank's answer.
 * Only an order of exactly 0.01 GEL is refunded, so that a mistyped id of a real
 * customer's order is never refunded by this check.
 */

/** How long to wait for a refund to settle, read every second (the sandbox settles at once). */
const SETTLE_READS = 10;

export async function checkAfterPay(ctx: CheckContext, bankOrderId: string): Promise<void> {
  const { client, report } = ctx;
  report.section(`The paid order ${bankOrderId}`);
  const details = await client.getPaymentDetails(bankOrderId, { deadline: ctx.deadline() });
  report.ok(`the product's client read it: status ${details.status}`);
  checkPaymentDetails(await rawPaymentDetails(ctx, bankOrderId), report);
  if (!refundable(ctx, details)) return;

  report.section("Refund: all of it (no amount, as the merchant API asks for a full refund)");
  const answer = await client.refund(bankOrderId, {
    idempotencyKey: randomUUID(),
    deadline: ctx.deadline(),
  });
  report.ok("the bank accepted the refund request");
  if (answer.key === SANDBOX.refundKey) report.ok(`its answer's key is "${answer.key}"`);
  else
    report.differs(`its answer's key is ${JSON.stringify(answer.key)}, not "${SANDBOX.refundKey}"`);
  if (answer.actionId !== null) report.ok(`action_id ${answer.actionId}`);
  else report.differs("its answer has no action_id (the sandbox's has one)");
  report.note(
    `the bank's message: ${answer.message === null ? "(none)" : JSON.stringify(answer.message)}`,
  );

  let after = await client.getPaymentDetails(bankOrderId, { deadline: ctx.deadline() });
  for (let read = 1; read < SETTLE_READS && settling(after.status); read += 1) {
    await sleep(1000);
    after = await client.getPaymentDetails(bankOrderId, { deadline: ctx.deadline() });
  }
  report.section("After the refund");
  if (after.status === SANDBOX.statusAfterFullRefund) {
    report.ok(`status "${after.status}"`);
  } else if (settling(after.status)) {
    report.differs(
      `status still "${after.status}" after ${SETTLE_READS} s (the sandbox refunds at once; the product waits for the callback or a lookup)`,
    );
  } else {
    report.failed(`status "${after.status}" after a full refund`);
  }
  if (after.refundAmount === CHECK_AMOUNT) report.ok("refund_amount 0.01");
  else if (!settling(after.status))
    report.failed(`refund_amount ${amount(after.refundAmount)}, not 0.01`);
  checkPaymentDetails(await rawPaymentDetails(ctx, bankOrderId), report);
}

const settling = (status: string) => status === "completed" || status === "refund_requested";

const amount = (minor: number | null) => (minor === null ? "(none)" : formatAmount(minor));

/** Paid, by this check, and not yet refunded: else says why not and refunds nothing. */
function refundable({ report }: CheckContext, details: PaymentDetails): boolean {
  if (details.requestAmount !== CHECK_AMOUNT || details.currency !== "GEL") {
    report.failed(
      `this order asked ${amount(details.requestAmount)} ${details.currency ?? ""}, not 0.01 GEL: not a bank:check order, not refunded`,
    );
    return false;
  }
  if (details.status === "created") {
    report.failed(
      "not paid yet: pay it on the bank's page (the link the first run printed), then run --after-pay again",
    );
    return false;
  }
  if (details.status !== SANDBOX.statusWhenPaid) {
    const reason = details.rejectReason === null ? "" : ` (reject_reason ${details.rejectReason})`;
    report.failed(`status "${details.status}"${reason}: nothing to refund`);
    return false;
  }
  report.ok(
    `paid: ${amount(details.transferAmount)} GEL charged (${details.paymentMethod ?? "method not given"})`,
  );
  if (details.transferAmount !== CHECK_AMOUNT) {
    report.differs(`transfer_amount ${amount(details.transferAmount)}, not the 0.01 asked`);
  }
  return true;
}
