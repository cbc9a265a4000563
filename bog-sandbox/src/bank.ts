import { createPublicKey, type KeyObject, randomUUID } from "node:crypto";
import { type AttemptResult, CallbackDispatcher } from "./callbacks.js";
import { SandboxClock } from "./clock.js";
import { FaultQueue } from "./faults.js";
import { IdempotencyStore } from "./idempotency.js";
import { expire, isExpired, isHoldLapsed, type Move, releaseHold } from "./lifecycle.js";
import type { Merchant, OtherMerchant, RuntimeConfig, SandboxOptions } from "./options.js";
import type { OrderRequest, SandboxOrder } from "./order-model.js";
import { buildReceipt, type Receipt } from "./receipt.js";
import { emptyStats, type Stats } from "./stats.js";
import { TokenIssuer } from "./tokens.js";

/** The sandbox bank's state: orders, tokens, replies to replay, counters, faults, clock. */
export class SandboxBank {
  readonly clock = new SandboxClock();
  readonly faults = new FaultQueue();
  readonly idempotency = new IdempotencyStore();
  readonly tokens: TokenIssuer;
  readonly callbacks: CallbackDispatcher;
  stats: Stats = emptyStats();
  config: RuntimeConfig;
  /** The PEM public key that verifies the sandbox's callbacks and tokens. */
  readonly publicKeyPem: string;
  /** Where the sandbox is reachable; set once the server listens. */
  baseUrl = "";
  private orders = new Map<string, SandboxOrder>();

  constructor(
    readonly options: SandboxOptions,
    readonly privateKey: KeyObject,
  ) {
    this.config = initialConfig(options);
    this.publicKeyPem = createPublicKey(privateKey)
      .export({ type: "spki", format: "pem" })
      .toString();
    this.tokens = new TokenIssuer(privateKey, this.clock, () => `${this.baseUrl}/auth/realms/bog`);
    this.callbacks = new CallbackDispatcher({
      privateKey,
      clock: this.clock,
      config: () => this.config,
      stats: () => this.stats,
      faults: this.faults,
      deliverToAnyHost: options.deliverCallbacksToAnyHost,
      ownUrl: () => this.baseUrl,
      log: (line) => this.log(line),
    });
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  createOrder(clientId: string, request: OrderRequest): SandboxOrder {
    const now = this.clock.now();
    const order: SandboxOrder = {
      ...request,
      id: randomUUID(),
      clientId,
      createdAt: now,
      expiresAt: now + request.ttlMinutes * 60_000,
      status: "created",
      blockedAt: null,
      rejectReason: null,
      charged: 0,
      refunded: 0,
      payment: null,
      responseCode: null,
      discount: null,
      actions: [],
      savedCardType: null,
      savedCardDeleted: false,
      parent: null,
    };
    this.orders.set(order.id, order);
    this.stats.ordersCreated += 1;
    return order;
  }

  /** An order by the bank's id, after what its time has made of it (expiry, a lapsed hold). */
  find(id: string): SandboxOrder | undefined {
    const order = this.orders.get(id.toLowerCase());
    if (order) this.age(order, this.clock.now());
    return order;
  }

  /** Expires every unpaid order whose ttl has run out, releases every lapsed hold. */
  expireDue(): void {
    const now = this.clock.now();
    for (const order of this.orders.values()) this.age(order, now);
  }

  private age(order: SandboxOrder, now: number): void {
    if (isExpired(order, now)) this.expireAndNotify(order);
    // The document promises no callback for a released hold: the shop finds it by asking.
    else if (isHoldLapsed(order, now)) releaseHold(order, now);
  }

  private expireAndNotify(order: SandboxOrder): void {
    expire(order);
    void this.notify(order);
  }

  /** The business behind a client id: ours (the default credentials) or another merchant. */
  client(clientId: string): OtherMerchant | undefined {
    const { clientId: ownId, clientSecret, merchant, otherMerchants } = this.options;
    if (clientId === ownId) return { clientId, clientSecret, merchant };
    return otherMerchants.find((other) => other.clientId === clientId);
  }

  /** The merchant an order belongs to, as its receipt and payment page show it. */
  merchantOf(order: SandboxOrder): Merchant {
    return this.client(order.clientId)?.merchant ?? this.options.merchant;
  }

  receipt(order: SandboxOrder): Receipt {
    return buildReceipt(order, this.merchantOf(order), this.baseUrl);
  }

  /** Every order, for the saved-card rules that look across orders. */
  allOrders(): IterableIterator<SandboxOrder> {
    return this.orders.values();
  }

  /**
   * Applies a status move; one the bank reports goes by callback, sent on its own (the
   * bank's answer never waits for the shop). The control endpoints pass `awaitFirst` to
   * answer how the first attempt went.
   */
  async apply(
    order: SandboxOrder,
    move: (order: SandboxOrder, now: number) => Move,
    awaitFirst = false,
  ): Promise<{ move: Move; callback: AttemptResult | null }> {
    const result = move(order, this.clock.now());
    if (!result.ok || !result.notify) return { move: result, callback: null };
    const sent = this.notify(order);
    if (awaitFirst) return { move: result, callback: await sent };
    void sent.catch((error: unknown) => this.log(`callback for ${order.id} failed: ${error}`));
    return { move: result, callback: null };
  }

  private notify(order: SandboxOrder): Promise<AttemptResult> {
    return this.callbacks.dispatch(order.callbackUrl, this.receipt(order));
  }

  /**
   * Forgets orders, tokens, replies, counters, faults, pending callbacks, the clock
   * offset and runtime settings: back to how the sandbox started.
   */
  reset(): void {
    this.orders.clear();
    this.tokens.reset();
    this.idempotency.clear();
    this.faults.clear();
    this.callbacks.reset();
    this.clock.reset();
    this.stats = emptyStats();
    this.config = initialConfig(this.options);
  }
}

function initialConfig(options: SandboxOptions): RuntimeConfig {
  return {
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
    expiresInFormat: options.expiresInFormat,
    expiresInValue: options.expiresInValue,
    tokenFormat: options.tokenFormat,
    callbackRetryDelaysMs: [...options.callbackRetryDelaysMs],
    callbackTimeoutMs: options.callbackTimeoutMs,
  };
}
