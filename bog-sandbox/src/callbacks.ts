import { type KeyObject, sign } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { localDate, zonedDate } from "./bank-format.js";
import type { SandboxClock } from "./clock.js";
import { CALLBACK_EVENT } from "./document.js";
import type { FaultQueue } from "./faults.js";
import { isLoopbackHost } from "./net.js";
import type { RuntimeConfig } from "./options.js";
import type { Receipt } from "./receipt.js";
import type { Stats } from "./stats.js";

/**
 * Sends the bank's callback: POST `{event, request_time, zoned_request_time, body}`
 * to the order's callback_url, signed like the bank signs (`Callback-Signature`:
 * base64 RSA-SHA256 over the raw body bytes; `Callback-Validator`: the same over the
 * order id). Anything but a 200 is retried on the configured backoff; the retries
 * re-send the very same bytes.
 */

export interface CallbackRecord {
  orderId: string;
  status: string;
  url: string;
  attempts: number;
  delivered: boolean;
  lastHttpStatus: number | null;
  lastError: string | null;
}

export interface AttemptResult {
  delivered: boolean;
  httpStatus: number | null;
  error: string | null;
}

interface Deps {
  privateKey: KeyObject;
  clock: SandboxClock;
  config: () => RuntimeConfig;
  stats: () => Stats;
  faults: FaultQueue;
  deliverToAnyHost: boolean;
  /** The sandbox's own base URL: a callback never goes there (its controls need no token). */
  ownUrl: () => string;
  log: (line: string) => void;
}

/** Whether `target` is the sandbox itself: a loopback host on the sandbox's own port. */
function isOwnAddress(target: URL, own: string): boolean {
  if (own === "") return false;
  const self = new URL(own);
  const port = (url: URL) => url.port || (url.protocol === "https:" ? "443" : "80");
  return isLoopbackHost(target.hostname) && port(target) === port(self);
}

function signCallback(bytes: Uint8Array, privateKey: KeyObject): string {
  return sign("sha256", bytes, privateKey).toString("base64");
}

export class CallbackDispatcher {
  private records: CallbackRecord[] = [];
  private abort = new AbortController();

  constructor(private readonly deps: Deps) {}

  /** Sends a callback; resolves after the first attempt, retries continue in the background. */
  async dispatch(url: string, receipt: Receipt): Promise<AttemptResult> {
    const now = this.deps.clock.now();
    const body = Buffer.from(
      JSON.stringify({
        event: CALLBACK_EVENT,
        request_time: localDate(now),
        zoned_request_time: zonedDate(now),
        body: receipt,
      }),
      "utf8",
    );
    const headers = {
      "content-type": "application/json",
      "callback-signature": signCallback(body, this.deps.privateKey),
      "callback-validator": signCallback(
        Buffer.from(receipt.order_id, "utf8"),
        this.deps.privateKey,
      ),
    };
    const record: CallbackRecord = {
      orderId: receipt.order_id,
      status: receipt.order_status.key,
      url,
      attempts: 0,
      delivered: false,
      lastHttpStatus: null,
      lastError: null,
    };
    this.records.push(record);
    const signal = this.abort.signal;
    const first = await this.attempt(record, body, headers, signal);
    if (!first.delivered) void this.retry(record, body, headers, signal);
    return first;
  }

  private async retry(
    record: CallbackRecord,
    body: Buffer,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void> {
    for (const delay of this.deps.config().callbackRetryDelaysMs) {
      try {
        await sleep(delay, undefined, { signal, ref: false });
      } catch {
        return; // reset or stop
      }
      const result = await this.attempt(record, body, headers, signal);
      if (result.delivered || signal.aborted) return;
    }
  }

  private async attempt(
    record: CallbackRecord,
    body: Buffer,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<AttemptResult> {
    const result = await this.send(record.url, body, headers, signal);
    if (signal.aborted) return result;
    record.attempts += 1;
    record.delivered = result.delivered;
    record.lastHttpStatus = result.httpStatus;
    record.lastError = result.error;
    const stats = this.deps.stats();
    if (result.delivered) stats.callbacksSent += 1;
    else stats.callbacksFailed += 1;
    this.deps.log(
      `callback ${record.orderId} ${record.status} attempt ${record.attempts} → ${result.httpStatus ?? result.error}`,
    );
    return result;
  }

  private async send(
    url: string,
    body: Buffer,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<AttemptResult> {
    const fault = this.deps.faults.take("callback");
    try {
      if (fault && fault.delayMs > 0) await sleep(fault.delayMs, undefined, { signal, ref: false });
    } catch {
      return { delivered: false, httpStatus: null, error: "sandbox reset" };
    }
    if (fault?.status) {
      return { delivered: false, httpStatus: fault.status, error: "injected fault: not sent" };
    }
    const target = new URL(url);
    if (isOwnAddress(target, this.deps.ownUrl())) {
      return {
        delivered: false,
        httpStatus: null,
        error: "not sent: the callback_url is the sandbox itself",
      };
    }
    if (!this.deps.deliverToAnyHost && !isLoopbackHost(target.hostname)) {
      return {
        delivered: false,
        httpStatus: null,
        error: "not sent: the sandbox delivers callbacks to loopback hosts only",
      };
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.any([
          signal,
          AbortSignal.timeout(this.deps.config().callbackTimeoutMs),
        ]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { delivered: response.status === 200, httpStatus: response.status, error: null };
    } catch (error) {
      const name = error instanceof Error ? error.name : "";
      const reason = name === "TimeoutError" ? "timeout" : "connection failed";
      return { delivered: false, httpStatus: null, error: reason };
    }
  }

  list(): CallbackRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Drops the history and cancels every pending retry. */
  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.records = [];
  }
}
