import { type BusEventDetail, isCardEvent } from "../lib/events/bus-event.js";
import type { OrderEventDetail } from "../lib/events/order-event.js";
import type { OrderEventPublisher } from "../lib/events/publish-order-events.js";
import { isLoopbackHost } from "../lib/loopback.js";
import { asWhsec, keyOf, newKey } from "../lib/webhooks/signing-secrets.js";
import type { WebhookOutbox } from "./webhook-outbox.js";

/**
 * The local stand-in for the stack's EventBridge bus and its webhook rule: every
 * published order or card event is one log line, and, with a webhook, one item of the
 * local delivery queue (`webhook-outbox.ts`, in DynamoDB Local), from which the same
 * sender as the stack's signs and POSTs it (Standard Webhooks), with the same retry
 * schedule, and keeps what could not be delivered for a redrive.
 */

export interface LocalWebhook {
  url: string;
  /** The signing secret, `whsec_…` (ORDER_WEBHOOK_SECRET, or generated at start). */
  secret: string;
  /** Whether it was generated (then printed at start, for the shop's receiver). */
  generated: boolean;
  /** Multiplies the schedule's waits (WEBHOOK_RETRY_SCALE, default 1). */
  retryScale: number;
}

/** ORDER_WEBHOOK_URL, ORDER_WEBHOOK_SECRET and WEBHOOK_RETRY_SCALE; http only to loopback hosts. */
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
  const given = env.ORDER_WEBHOOK_SECRET?.trim();
  if (given) {
    try {
      keyOf(given);
    } catch (error) {
      throw new Error(
        `ORDER_WEBHOOK_SECRET: ${error instanceof Error ? error.message : String(error)} (whsec_ and the base64 of 24 to 64 bytes)`,
      );
    }
    if (!given.startsWith("whsec_")) throw new Error("ORDER_WEBHOOK_SECRET must start with whsec_");
  }
  const scaleText = env.WEBHOOK_RETRY_SCALE?.trim();
  const retryScale = scaleText ? Number(scaleText) : 1;
  if (!Number.isFinite(retryScale) || retryScale <= 0 || retryScale > 1)
    throw new Error(`WEBHOOK_RETRY_SCALE must be a number above 0, at most 1, got "${scaleText}"`);
  return {
    url: url.href,
    secret: given || asWhsec(newKey()),
    generated: !given,
    retryScale,
  };
}

/** A redrive asked of a stack started without ORDER_WEBHOOK_URL. */
export class NoWebhookError extends Error {
  constructor() {
    super("no webhook: start npm start with ORDER_WEBHOOK_URL");
    this.name = "NoWebhookError";
  }
}

const ORDERS_KEPT = 1000;
const EVENTS_KEPT_PER_ORDER = 50;

export interface LocalOrderBus {
  publish: OrderEventPublisher;
  /** The events published for one order, oldest first (the local back office shows them). */
  eventsOf(orderId: string): OrderEventDetail[];
  /** Sends every dead event once more (`npm run webhook -- redrive --local`). */
  redrive(): Promise<{ delivered: number; failed: number }>;
  /** Resolves when no delivery waits (each delivered, or dead). */
  idle(): Promise<void>;
  /** Stops delivering; what waits stays in the outbox. */
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
  /** Where events are delivered from, with the shop's URL; none: logged only. */
  webhook?: { url: string; outbox: WebhookOutbox };
  log: (line: string) => void;
}): LocalOrderBus {
  const { webhook, log } = options;

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
      // Kept in the outbox before the batch counts as published: a failure here fails
      // the batch, and the stream gives it again.
      return Promise.all(
        entries.map(async ({ detail }) => {
          if (!isCardEvent(detail)) remember(detail);
          log(`${describe(detail)}${webhook ? ` → ${webhook.url}` : ""}`);
          if (!webhook) return null;
          try {
            await webhook.outbox.enqueue(detail);
            return null;
          } catch (error) {
            return error instanceof Error ? error.message : String(error);
          }
        }),
      );
    },
    async redrive() {
      if (!webhook) throw new NoWebhookError();
      return webhook.outbox.redrive();
    },
    async idle() {
      await webhook?.outbox.idle();
    },
    async stop() {
      await webhook?.outbox.stop();
    },
  };
}
