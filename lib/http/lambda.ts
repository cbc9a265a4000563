import type { Context } from "aws-lambda";
import { invalidRequest, orderNotFound } from "../domain-error.js";
import { isUuid, isUuidV4 } from "../ids.js";
import { type HttpEventLike, header } from "./request.js";

/** Time kept back from the Lambda's remaining time for the writes after a bank call. */
const RESERVE_MS = 1000;

/** The epoch ms by which bank calls must be over, from the Lambda's remaining time. */
export function deadlineFrom(context: Pick<Context, "getRemainingTimeInMillis">): number {
  return Date.now() + Math.max(0, context.getRemainingTimeInMillis() - RESERVE_MS);
}

/** The optional Idempotency-Key header: a UUID v4 (lower-cased), or a 400. */
export function idempotencyKey(event: HttpEventLike): string | undefined {
  const value = header(event, "idempotency-key");
  if (value === undefined) return undefined;
  const key = value.trim();
  if (!isUuidV4(key)) {
    throw invalidRequest("Idempotency-Key must be a UUID v4", [
      { path: "headers.Idempotency-Key", message: "not a UUID v4" },
    ]);
  }
  return key.toLowerCase();
}

/** The Idempotency-Key every merchant POST must carry (a UUID v4), or a 400. */
export function requiredIdempotencyKey(event: HttpEventLike): string {
  const key = idempotencyKey(event);
  if (key === undefined) {
    throw invalidRequest("an Idempotency-Key header (UUID v4) is required", [
      { path: "headers.Idempotency-Key", message: "missing" },
    ]);
  }
  return key;
}

/** An order id from the path: anything but a UUID is an unknown order. */
export function orderIdParam(value: string | undefined): string {
  if (value === undefined || !isUuid(value)) throw orderNotFound();
  return value.toLowerCase();
}
