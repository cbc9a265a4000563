import type { KeyObject } from "node:crypto";
import { parseCallbackEvent } from "../bog/callback-event.js";
import { verifyCallbackSignature } from "../bog/callback-signature.js";
import type { BogClient } from "../bog/client.js";
import type { PaymentDetails } from "../bog/payment-details.js";
import { ApiError, invalidRequest } from "../http/api-error.js";
import { isUuid } from "../ids.js";
import type { Log } from "../log.js";
import { INVALID_CALLBACK_SIGNATURE } from "../metrics.js";
import { bankStateFrom } from "./bank-state.js";
import type { OrderRepository } from "./order-repository.js";
import { isoSeconds } from "./order-view.js";

/**
 * The bank's callback: a hint, the bank is the truth. The signature is checked on
 * the raw bytes before anything is parsed. Signed and valid: the body is used.
 * Unsigned: the body is never trusted; the bank is asked for that order's details.
 * Bad signature: 401, a security log line and a metric, nothing stored. Unknown
 * order: 200 (the bank must stop retrying), nothing stored. Older or duplicate news
 * changes nothing. The answer is 200 only once the store has it.
 */

export interface CallbackDeps {
  orders: OrderRepository;
  bank: BogClient;
  publicKey: KeyObject;
  log: Log;
  metric: (name: string) => void;
  now: () => number;
}

export type CallbackOutcome = "stored" | "unchanged" | "unknownOrder" | "unknownStatus";

/** Reads only the bank's order id from an unsigned body; nothing else in it is used. */
function untrustedBankOrderId(raw: Buffer): string {
  try {
    const value = JSON.parse(raw.toString("utf8")) as { body?: { order_id?: unknown } };
    const id = value?.body?.order_id;
    if (typeof id === "string" && id.length > 0 && id.length <= 128) return id;
  } catch {
    // fall through
  }
  throw invalidRequest("the body is not a payment event");
}

export async function handleCallback(
  raw: Buffer,
  signature: string | undefined,
  deadline: number,
  deps: CallbackDeps,
): Promise<CallbackOutcome> {
  const { orders, bank, log } = deps;
  let details: PaymentDetails;
  if (signature !== undefined) {
    if (!verifyCallbackSignature(raw, signature, deps.publicKey)) {
      deps.metric(INVALID_CALLBACK_SIGNATURE);
      log.warn("security: callback signature does not verify; nothing stored", {
        bytes: raw.length,
      });
      throw new ApiError(401, "invalid_signature", "the Callback-Signature does not verify");
    }
    const parsed = parseCallbackEvent(raw);
    if (!parsed.ok) throw invalidRequest(`not a payment event: ${parsed.problem}`);
    details = parsed.value.details;
  } else {
    const bankOrderId = untrustedBankOrderId(raw);
    // Ask the bank only about orders we made: an unsigned body costs the sender a lookup, not a bank call.
    if (!(await orders.findByBankOrderId(bankOrderId))) {
      log.warn("unsigned callback for an order we did not make; nothing stored", { bankOrderId });
      return "unknownOrder";
    }
    log.info("unsigned callback: asking the bank", { bankOrderId });
    details = await bank.getPaymentDetails(bankOrderId, { deadline });
  }

  log.appendKeys({ bankOrderId: details.bankOrderId });
  const orderId =
    details.externalOrderId && isUuid(details.externalOrderId)
      ? details.externalOrderId
      : await orders.findByBankOrderId(details.bankOrderId);
  if (!orderId) {
    log.warn("callback for an order we did not make; nothing stored");
    return "unknownOrder";
  }
  log.appendKeys({ orderId });
  const state = bankStateFrom(details);
  if (!state) {
    log.warn("the bank reports a status we do not know; kept aside", { status: details.status });
    await orders.recordUnknownStatus(
      orderId,
      details.bankOrderId,
      details.status,
      isoSeconds(deps.now()),
    );
    return "unknownStatus";
  }
  const result = await orders.applyBankState(orderId, state, deps.now(), isoSeconds(deps.now()));
  if (result.outcome === "unknownOrder") {
    log.warn("callback for an order we did not make; nothing stored");
    return "unknownOrder";
  }
  if (result.outcome === "unchanged") {
    log.info("callback changes nothing (duplicate or older)", {
      status: state.status,
      stored: result.order.status,
    });
    return "unchanged";
  }
  log.info("callback stored", { status: state.status, signed: signature !== undefined });
  return "stored";
}
