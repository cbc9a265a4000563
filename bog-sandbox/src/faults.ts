/**
 * Fault injection: the next `count` requests to a target fail with `status`, or
 * hang `delayMs`. A fault with a status answers it (after the delay) without doing
 * the work, like a gateway in front of the bank. A fault with only a delay does the
 * work and answers late: the caller times out not knowing the outcome, which is
 * exactly the case an Idempotency-Key exists for.
 *
 * An `outcome: "rejected"` fault (refund, approve, cancel only) fails nothing at the
 * door: the next such request the bank accepts is answered as usual (its action id),
 * then recorded `rejected` in the order's `actions[]`; the status does not move and no
 * callback is sent.
 *
 * `subscriptionPayment` is not an endpoint but the automatic payment a `subscribe`
 * starts: a fault with a status declines that payment (reported by callback, as the
 * bank does), one with only a delay decides it that much later.
 */

const FAULT_TARGETS = [
  "token",
  "createOrder",
  "receipt",
  "refund",
  "approve",
  "cancel",
  "applePay",
  "saveCard",
  "cardOrder",
  "subscribe",
  "deleteCard",
  "subscriptionPayment",
  "callback",
] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** Targets whose accepted request the bank may record as rejected. */
const OUTCOME_TARGETS = ["refund", "approve", "cancel"] as const;
export type OutcomeTarget = (typeof OUTCOME_TARGETS)[number];

export interface Fault {
  target: FaultTarget;
  status: number | null;
  delayMs: number;
  count: number;
  /** "rejected": accepted, then recorded rejected in actions[] (see above). */
  outcome: "rejected" | null;
}

const MAX_FAULT_DELAY_MS = 120_000;
const MAX_FAULT_COUNT = 10_000;

export class FaultQueue {
  private pending: Fault[] = [];

  add(fault: Fault): void {
    this.pending.push({ ...fault });
  }

  /** Consumes one firing of the oldest status or delay fault for `target`, if any. */
  take(target: FaultTarget): Fault | undefined {
    return this.consume((f) => f.target === target && f.outcome === null);
  }

  /** Whether the next accepted request to `target` is to be recorded rejected. */
  rejects(target: OutcomeTarget): boolean {
    return this.pending.some((f) => f.target === target && f.outcome === "rejected");
  }

  /** Consumes one firing of the oldest outcome fault for `target`. */
  takeRejection(target: OutcomeTarget): void {
    this.consume((f) => f.target === target && f.outcome === "rejected");
  }

  private consume(which: (fault: Fault) => boolean): Fault | undefined {
    const index = this.pending.findIndex(which);
    if (index < 0) return undefined;
    const fault = this.pending[index] as Fault;
    fault.count -= 1;
    if (fault.count <= 0) this.pending.splice(index, 1);
    return { ...fault, count: 1 };
  }

  list(): Fault[] {
    return this.pending.map((f) => ({ ...f }));
  }

  clear(): void {
    this.pending = [];
  }
}

/** Validates a `POST /_sandbox/faults` body. */
export function parseFault(
  body: unknown,
): { ok: true; value: Fault } | { ok: false; message: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, message: "the body must be a JSON object" };
  }
  const raw = body as Record<string, unknown>;
  const target = raw.target;
  if (typeof target !== "string" || !(FAULT_TARGETS as readonly string[]).includes(target)) {
    return { ok: false, message: `target must be one of ${FAULT_TARGETS.join(", ")}` };
  }
  const status = raw.status ?? null;
  if (
    status !== null &&
    (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599)
  ) {
    return { ok: false, message: "status must be an HTTP status code (200-599)" };
  }
  const delayMs = raw.delayMs ?? 0;
  if (
    !Number.isInteger(delayMs) ||
    (delayMs as number) < 0 ||
    (delayMs as number) > MAX_FAULT_DELAY_MS
  ) {
    return { ok: false, message: `delayMs must be a whole number from 0 to ${MAX_FAULT_DELAY_MS}` };
  }
  const count = raw.count ?? 1;
  if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > MAX_FAULT_COUNT) {
    return { ok: false, message: `count must be a whole number from 1 to ${MAX_FAULT_COUNT}` };
  }
  const outcome = raw.outcome ?? null;
  if (outcome !== null) {
    if (outcome !== "rejected") return { ok: false, message: 'outcome must be "rejected"' };
    if (!(OUTCOME_TARGETS as readonly string[]).includes(target)) {
      return { ok: false, message: `outcome is for targets ${OUTCOME_TARGETS.join(", ")} only` };
    }
    if (status !== null || delayMs !== 0) {
      return { ok: false, message: "outcome goes without status and delayMs" };
    }
  } else if (status === null && delayMs === 0) {
    return { ok: false, message: "a fault needs a status, a delayMs, or both (or an outcome)" };
  }
  return {
    ok: true,
    value: {
      target: target as FaultTarget,
      status: status as number | null,
      delayMs: delayMs as number,
      count: count as number,
      outcome,
    },
  };
}
