import type { KeyObject } from "node:crypto";
import { parseCallbackEvent } from "../../bog/callback-event.js";
import { verifyCallbackSignature } from "../../bog/callback-signature.js";
import type { BogClient } from "../../bog/client.js";
import type { MerchantIdentity } from "../../bog/merchant-id.js";
import type { PaymentDetails } from "../../bog/payment-details.js";
import { DomainError, invalidRequest } from "../../domain-error.js";
import { BankRejectedError } from "../../errors.js";
import { isUuid } from "../../ids.js";
import {
  CALLBACK_ANOMALY,
  CALLBACKS,
  INVALID_CALLBACK_SIGNATURE,
  UNSIGNED_CALLBACK,
} from "../../metrics.js";
import type { Order } from "../model/order.js";
import { LOOKUP_LEASE_MS } from "../storage/order-leases.js";
import { applyBankAnswer, type BankAnswerDeps, keepAside } from "./apply-bank-answer.js";
import { askBank } from "./lookup.js";

/**
 * The bank's callback: a hint, the bank is the truth. The signature is checked on
 * the raw bytes before anything is parsed. Bad signature: `invalid_signature`, a security log line
 * and a metric, nothing stored.
 *
 * Signed and valid: the body proves the bank sent it, not that it is about our
 * order (the bank signs every merchant's callbacks alike). It is applied only if its
 * bank order id is the one on file, it is this merchant's and its amounts agree;
 * when the order has no bank order on file yet, the bank is asked with our own
 * credentials and its answer is used instead. Anything else is kept aside as an
 * anomaly and answered 200 so that the bank stops retrying.
 *
 * Unsigned: the body is never trusted; the bank is asked about the order, at most
 * once per order per refresh interval (the lease get-status uses), and only for
 * orders we made. Unknown order: 200, nothing stored. The answer is 200 only once
 * the store has it.
 */

export interface CallbackDeps extends BankAnswerDeps {
  bank: BogClient;
  publicKey: KeyObject;
  merchant: MerchantIdentity;
  /** How long the bank's word counts as fresh (STATUS_REFRESH_SECONDS). */
  refreshMs: number;
}

export type CallbackOutcome = "stored" | "unchanged" | "unknownOrder" | "unknownStatus" | "anomaly";

/** Reads only the bank's order id from an unsigned body; nothing else in it is used. */
function untrustedBankOrderId(raw: Buffer): string {
  try {
    const value = JSON.parse(raw.toString("utf8")) as {
      event?: unknown;
      body?: { order_id?: unknown };
    };
    // Stryker disable next-line OptionalChaining: `value.body` differs only for a JSON null body: the read then throws a TypeError in the same try, answered the same 400
    const id = value?.body?.order_id;
    if (
      // Stryker disable next-line OptionalChaining: `value.event` differs only for a JSON null body: the read then throws a TypeError in the same try, answered the same 400
      value?.event === "order_payment" &&
      typeof id === "string" &&
      id.length > 0 &&
      id.length <= 128
    )
      return id;
  } catch {
    // fall through
  }
  throw invalidRequest("the body is not a payment event");
}

/** The callback rules, counted by outcome (the metric `Callbacks`, dimension `Outcome`). */
export async function handleCallback(
  raw: Buffer,
  signature: string | undefined,
  deadline: number,
  deps: CallbackDeps,
): Promise<CallbackOutcome> {
  const count = (outcome: string) =>
    deps.metric(CALLBACKS, 1, { dimensions: { Outcome: outcome } });
  try {
    const outcome = await callbackOutcome(raw, signature, deadline, deps);
    count(outcome);
    return outcome;
  } catch (error) {
    count(error instanceof DomainError ? error.code : "error");
    throw error;
  }
}

async function callbackOutcome(
  raw: Buffer,
  signature: string | undefined,
  deadline: number,
  deps: CallbackDeps,
): Promise<CallbackOutcome> {
  if (signature === undefined) return unsignedCallback(raw, deadline, deps);
  if (!verifyCallbackSignature(raw, signature, deps.publicKey)) {
    deps.metric(INVALID_CALLBACK_SIGNATURE);
    deps.log.warn("security: callback signature does not verify; nothing stored", {
      bytes: raw.length,
    });
    throw new DomainError("invalid_signature", "the Callback-Signature does not verify");
  }
  const parsed = parseCallbackEvent(raw);
  if (!parsed.ok) throw invalidRequest(`not a payment event: ${parsed.problem}`);
  return signedCallback(parsed.value.details, deadline, deps);
}

async function signedCallback(
  details: PaymentDetails,
  deadline: number,
  deps: CallbackDeps,
): Promise<CallbackOutcome> {
  const { orders, log } = deps;
  log.appendKeys({ bankOrderId: details.bankOrderId });
  const external = details.externalOrderId;
  const orderId =
    external && isUuid(external)
      ? external.toLowerCase()
      : await orders.findByBankOrderId(details.bankOrderId);
  if (!orderId) {
    log.warn("callback for an order we did not make; nothing stored");
    return "unknownOrder";
  }
  log.appendKeys({ orderId });
  const merchantId = await deps.merchant.get();
  const applied = await applyBankAnswer(orderId, details, { merchantId, source: "callback" }, deps);
  switch (applied.outcome) {
    case "needsLookup":
      return confirmWithBank(applied.order, details, merchantId, deadline, deps);
    case "stored":
      // Its bank order id is the one our create-order got: this is our merchant's id.
      await deps.merchant.learn(details.merchantId);
      log.info("callback stored", { status: details.status, signed: true });
      return "stored";
    case "unknownOrder":
      log.warn("callback for an order we did not make; nothing stored");
      return "unknownOrder";
    default:
      log.info("callback not applied", { outcome: applied.outcome, status: details.status });
      return applied.outcome;
  }
}

/**
 * A signed message for an order whose bank order we never learned (the bank's
 * answer to create-order was lost): only the bank, asked with our credentials, can
 * say that this bank order is ours. Its answer is used, not the message.
 */
async function confirmWithBank(
  order: Order | undefined,
  claimed: PaymentDetails,
  merchantId: string | null,
  deadline: number,
  deps: CallbackDeps,
): Promise<CallbackOutcome> {
  if (!order) return "unknownOrder";
  const { orderId } = order;
  // A bank order the bank already said is not ours for this order: a replay costs no lookup.
  if (order.anomalies.some((a) => a.bankOrderId === claimed.bankOrderId && REFUSED.has(a.reason))) {
    deps.metric(CALLBACK_ANOMALY);
    deps.log.warn("security: a replayed message the bank already refused; not applied", {
      bankOrderId: claimed.bankOrderId,
    });
    return "anomaly";
  }
  const now = deps.now();
  if (!(await deps.orders.leases.claimLookup(orderId, now, deps.refreshMs, deadline))) {
    // Someone is asking the bank about this order right now: the bank retries later.
    throw new DomainError("service_unavailable", "the order is being checked; try again", {
      retryAfterSeconds: Math.ceil(LOOKUP_LEASE_MS / 1000),
    });
  }
  deps.log.info("signed callback for an order with no bank order on file: asking the bank");
  const refused = async (
    reason: "bank_does_not_confirm" | "not_our_order",
    about: PaymentDetails,
  ) => {
    await keepAside(orderId, about, reason, about === claimed ? "callback" : "bank", deps);
    // The lookup told nothing about our order: the next message may ask again at once.
    await deps.orders.leases.releaseLookup(orderId);
    return "anomaly" as const;
  };
  let answer: PaymentDetails;
  try {
    answer = await deps.bank.getPaymentDetails(claimed.bankOrderId, { deadline });
  } catch (error) {
    if (!(error instanceof BankRejectedError)) throw error;
    return refused("bank_does_not_confirm", claimed);
  }
  if (answer.externalOrderId?.toLowerCase() !== orderId) return refused("not_our_order", answer);
  const applied = await applyBankAnswer(
    orderId,
    answer,
    { merchantId, adopt: true, source: "bank" },
    deps,
  );
  deps.log.info("callback confirmed with the bank", { outcome: applied.outcome });
  return applied.outcome === "needsLookup" ? "unchanged" : applied.outcome;
}

/** What the bank's answer to our lookup said about a bank order that is not this order's. */
const REFUSED: ReadonlySet<string> = new Set(["bank_does_not_confirm", "not_our_order"]);

async function unsignedCallback(
  raw: Buffer,
  deadline: number,
  deps: CallbackDeps,
): Promise<CallbackOutcome> {
  const { orders, log } = deps;
  const bankOrderId = untrustedBankOrderId(raw);
  deps.metric(UNSIGNED_CALLBACK);
  log.appendKeys({ bankOrderId });
  // Only orders we made are looked up: an unsigned body costs its sender a query, not a bank call.
  const orderId = await orders.findByBankOrderId(bankOrderId);
  if (!orderId) {
    log.warn("unsigned callback for an order we did not make; nothing stored");
    return "unknownOrder";
  }
  log.appendKeys({ orderId });
  const now = deps.now();
  if (!(await orders.leases.claimLookup(orderId, now, deps.refreshMs, deadline))) {
    log.info("unsigned callback: the bank was asked about this order recently; nothing to do");
    return "unchanged";
  }
  log.info("unsigned callback: asking the bank");
  let applied: Awaited<ReturnType<typeof askBank>>;
  try {
    // The bank order id came from our own store: what the bank says about it is ours.
    applied = await askBank(orderId, bankOrderId, deadline, "bank", deps);
  } catch (error) {
    // The bank refusing a lookup of our own bank order: retrying the hint will not help.
    if (!(error instanceof BankRejectedError)) throw error;
    log.warn("unsigned callback: the bank refused the lookup", { reason: error.message });
    return "unchanged";
  }
  return applied.outcome === "needsLookup" ? "unchanged" : applied.outcome;
}
