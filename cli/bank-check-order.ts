import { randomUUID } from "node:crypto";
import type { PaymentDetails } from "../lib/bog/payment-details.js";
import { type CheckContext, rawPaymentDetails } from "./bank-check-context.js";
import { SANDBOX } from "./bank-check-expectations.js";
import { checkPaymentDetails } from "./bank-check-fields.js";

/**
 * The first run of `npm run bank:check`: a 0.01 GEL order made by the product's
 * client, its payment details read back and checked, and the payment link for a
 * person to pay on the bank's page.
 */

/** 0.01 GEL, in minor units: the smallest order there is. */
export const CHECK_AMOUNT = 1;
/** Long enough for a person to open the link and pay. */
const CHECK_TTL_MINUTES = 60;

export async function checkNewOrder(ctx: CheckContext, callbackUrl: string): Promise<void> {
  const { client, report, target } = ctx;
  report.section("Create-order: 0.01 GEL, paid on the bank's page");
  const externalOrderId = randomUUID();
  const created = await client.createOrder(
    {
      callbackUrl,
      externalOrderId,
      currency: "GEL",
      total: CHECK_AMOUNT,
      basket: [
        {
          productId: "bank-check",
          description: "bank:check test order",
          quantity: 1,
          unitPrice: CHECK_AMOUNT,
        },
      ],
      ttlMinutes: CHECK_TTL_MINUTES,
    },
    { idempotencyKey: randomUUID(), deadline: ctx.deadline() },
  );
  const id = created.bankOrderId;
  report.ok(`the bank created order ${id} (callbacks to ${callbackUrl})`);
  const page = new URL(created.redirectUrl);
  if (page.origin === target.paymentOrigin) {
    report.ok(`the payment link is on ${page.origin}`);
  } else {
    report.differs(`the payment link is on ${page.origin}, not ${target.paymentOrigin}`);
  }
  const receiptUrl = `${target.endpoints.apiBaseUrl}/receipt/${encodeURIComponent(id)}`;
  if (created.detailsUrl === receiptUrl) report.ok("the details link is the receipt's");
  else if (created.detailsUrl === null) report.differs("the answer has no details link");
  else report.differs(`the details link is ${created.detailsUrl}, not ${receiptUrl}`);
  if (created.status === SANDBOX.createStatus) report.ok("no status in the answer, as the sandbox");
  else report.differs(`the answer has status "${created.status}" (the sandbox's has none)`);

  report.section("Payment details of the new order");
  const details = await client.getPaymentDetails(id, { deadline: ctx.deadline() });
  report.ok(`the product's client read them: status ${details.status}`);
  const parsed = checkPaymentDetails(await rawPaymentDetails(ctx, id), ctx.report);
  if (parsed) checkWhatWeAsked(ctx, parsed, id, externalOrderId);

  report.section("Pay it");
  report.line("  Open this link and pay as a customer, with the test card the bank gave you");
  report.line("  with the test environment's credentials:");
  report.line(`    ${created.redirectUrl}`);
  if (target.environment === "base-url") {
    report.line("  (the local sandbox's page has a Pay button; tests pay with");
    report.line(`  POST ${page.origin}/_sandbox/orders/${id}/pay {"outcome":"completed"})`);
  }
  report.line("  Then, with the same environment and credentials:");
  report.line(`    npm run bank:check -- --after-pay ${id}`);
}

function checkWhatWeAsked(
  { report }: CheckContext,
  parsed: PaymentDetails,
  bankOrderId: string,
  externalOrderId: string,
): void {
  const same = (what: string, got: unknown, want: unknown) => {
    if (got === want) report.ok(`${what}: ${String(got)}, as asked`);
    else report.failed(`${what}: ${String(got)}, but the order asked ${String(want)}`);
  };
  same("order_id", parsed.bankOrderId, bankOrderId);
  same("external_order_id", parsed.externalOrderId, externalOrderId);
  same("currency", parsed.currency, "GEL");
  same("request_amount in tetri", parsed.requestAmount, CHECK_AMOUNT);
  if (parsed.status === SANDBOX.statusWhenCreated) report.ok(`a new order is "${parsed.status}"`);
  else report.differs(`a new order is "${parsed.status}" (the sandbox's are "created")`);
}
