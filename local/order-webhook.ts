import { appendFile } from "node:fs/promises";
import { type BusEventDetail, isCardEvent } from "../lib/events/bus-event.js";
import type { OrderEventDetail } from "../lib/events/order-event.js";
import type { OrderEventPublisher } from "../lib/events/publish-order-events.js";
import { WEBHOOK_KEY_HEADER } from "../lib/events/webhook-key.js";
import { isLoopbackHost } from "../lib/loopback.js";

/**
 * The local stand-in for the stack's EventBridge bus and its webhook rule: every
 * published order or card event is one log line, and, with a webhook, one POST of the
 * event's detail to the shop's URL, authenticated as the API destination
 * authenticates (the webhook key in its header). Delivery is retried as EventBridge
 * retries an API destination (timeouts, network errors, 401, 407, 409, 429 and 5xx;
 * each attempt has 5 s), a bounded number of times with growing delays, then the
 * event is dead-lettered: a log line, and a JSON line in a file when one is given.
 */

export interface LocalWebhook {
  url: string;
  /** The webhook key sent in WEBHOOK_KEY_HEADER. */
  secret: string;
  /** The waits before each retry; their count bounds the retries. */
  retryDelaysMs?: readonly number[];
  /** One attempt's deadline (an API destination's is 5 s). */
  timeoutMs?: number;
  /** Dead letters are appended here as JSON lines, besides the log line. */
  deadLetterFile?: string;
}

/** 1, 2, 4, 8, 16, 32 s: six retries, seven attempts, about a minute in all. */
export const LOCAL_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000, 32_000] as const;
const ATTEMPT_TIMEOUT_MS = 5000;
const ORDERS_KEPT = 1000;
const EVENTS_KEPT_PER_ORDER = 50;

/** Used when ORDER_WEBHOOK_SECRET is unset: a public value for local use, like the sandbox's credentials. */
export const LOCAL_WEBHOOK_SECRET = "local-order-webhook-key";

/** The user agent EventBridge's API destinations send. */
const USER_AGENT = "Amazon/EventBridge/ApiDestinations";

/** What an API destination retries; anything else that is not 2xx is dead-lettered at once. */
function retried(status: number): boolean {
  return status === 401 || status === 407 || status === 409 || status === 429 || status >= 500;
}

/** ORDER_WEBHOOK_URL and ORDER_WEBHOOK_SECRET; http only to loopback hosts. */
export function readLocalWebhook(
  env: Record<string, string | undefined>,
): LocalWebhook | undefined {
  const raw = env.ORDER_WEBHOOK_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ORDER_WEBHOOK_URL must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new Error(
      "ORDER_WEBHOOK_URL must be https (plain http only for loopback hosts: localhost, 127.0.0.0/8, [::1])",
    );
  }
  if (url.username !== "" || url.password !== "")
    throw new Error("ORDER_WEBHOOK_URL must not carry a user name or password");
  const deadLetterFile = env.ORDER_WEBHOOK_DEAD_LETTER_FILE?.trim();
  return {
    url: url.href,
    secret: env.ORDER_WEBHOOK_SECRET || LOCAL_WEBHOOK_SECRET,
    ...(deadLetterFile ? { deadLetterFile } : {}),
  };
}

export interface LocalOrderBus {
  publish: OrderEventPublisher;
  /** The events published for one order, oldest first (the local back office shows them). */
  eventsOf(orderId: string): OrderEventDetail[];
  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
  /** Cancels waiting retries and in-flight deliveries. */
  stop(): Promise<void>;
}

/** The event's name in log lines: never the card's mask or expiry, nor the customer (a shop may use an e-mail). */
const nameOf = (d: BusEventDetail) =>
  isCardEvent(d) ? `card ${d.cardId} ${d.event}` : `order ${d.orderId} v${d.version}`;

const describe = (d: BusEventDetail) =>
  isCardEvent(d)
    ? `${nameOf(d)} (${d.type})`
    : `${nameOf(d)} ${d.previousStatus ?? "-"} → ${d.status} (${d.amount} ${d.currency})`;

export function createLocalOrderBus(options: {
  webhook?: LocalWebhook;
  log: (line: string) => void;
}): LocalOrderBus {
  const { webhook, log } = options;
  const pending = new Set<Promise<void>>();
  /** Retries waiting for their time; stop() wakes them with false. */
  const waits = new Map<NodeJS.Timeout, (go: boolean) => void>();
  const aborts = new Set<AbortController>();
  let stopped = false;

  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (stopped) return resolve(false);
      const timer = setTimeout(() => {
        waits.delete(timer);
        resolve(!stopped);
      }, ms);
      waits.set(timer, resolve);
    });

  async function attempt(target: LocalWebhook, body: string): Promise<string | null> {
    const abort = new AbortController();
    aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), target.timeoutMs ?? ATTEMPT_TIMEOUT_MS);
    try {
      const response = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": USER_AGENT,
          [WEBHOOK_KEY_HEADER]: target.secret,
        },
        body,
        redirect: "manual",
        signal: abort.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return null;
      return `HTTP ${response.status}`;
    } catch (error) {
      return abort.signal.aborted
        ? "no answer in time"
        : `network error (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      clearTimeout(timer);
      aborts.delete(abort);
    }
  }

  async function deliver(target: LocalWebhook, detail: BusEventDetail): Promise<void> {
    const body = JSON.stringify(detail);
    const delays = target.retryDelaysMs ?? LOCAL_RETRY_DELAYS_MS;
    let attempts = 0;
    let problem: string | null = null;
    for (;;) {
      attempts += 1;
      problem = await attempt(target, body);
      if (problem === null) {
        if (attempts > 1) log(`delivered ${nameOf(detail)} on attempt ${attempts}`);
        return;
      }
      if (stopped) return;
      const status = /^HTTP (\d+)$/.exec(problem)?.[1];
      const retriable = status === undefined || retried(Number(status));
      const delay = delays[attempts - 1];
      if (!retriable || delay === undefined) break;
      log(`webhook ${problem} for ${nameOf(detail)}; retry in ${delay} ms`);
      if (!(await sleep(delay))) return;
    }
    log(
      `dead-letter: ${nameOf(detail)} not delivered after ${attempts} attempt${attempts === 1 ? "" : "s"} (last: ${problem})`,
    );
    if (target.deadLetterFile) {
      const line = JSON.stringify({ at: new Date().toISOString(), attempts, problem, detail });
      await appendFile(target.deadLetterFile, `${line}\n`).catch((error: unknown) =>
        log(`dead-letter file not written: ${error instanceof Error ? error.message : error}`),
      );
    }
  }

  // Remembered for the back office, bounded: the newest orders, a few events each.
  const recent = new Map<string, OrderEventDetail[]>();
  const remember = (detail: OrderEventDetail) => {
    const events = recent.get(detail.orderId) ?? [];
    recent.delete(detail.orderId);
    // A redelivered stream record is the same (orderId, version): kept once.
    if (!events.some((e) => e.version === detail.version)) events.push(detail);
    recent.set(detail.orderId, events.slice(-EVENTS_KEPT_PER_ORDER));
    for (const oldest of recent.keys()) {
      if (recent.size <= ORDERS_KEPT) break;
      recent.delete(oldest);
    }
  };

  return {
    eventsOf: (orderId) => [...(recent.get(orderId) ?? [])].sort((a, b) => a.version - b.version),
    async publish(entries) {
      for (const { detail } of entries) {
        if (!isCardEvent(detail)) remember(detail);
        log(`${describe(detail)}${webhook ? ` → ${webhook.url}` : ""}`);
        if (webhook && !stopped) {
          const delivery = deliver(webhook, detail).catch((error: unknown) =>
            log(`webhook delivery failed: ${error instanceof Error ? error.message : error}`),
          );
          pending.add(delivery);
          void delivery.finally(() => pending.delete(delivery));
        }
      }
      return entries.map(() => null);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async stop() {
      stopped = true;
      for (const [timer, wake] of waits) {
        clearTimeout(timer);
        wake(false);
      }
      waits.clear();
      for (const abort of aborts) abort.abort();
      await Promise.all([...pending]);
    },
  };
}
