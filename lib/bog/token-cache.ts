import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { BankUnavailableError } from "../errors.js";
import type { IssuedToken } from "./token-endpoint.js";
import { REFRESH_MARGIN_MS } from "./token-lifetime.js";
import type { DynamoTokenStore } from "./token-store.js";

/**
 * The bank token, as cheaply as it can be had: from this container's memory (no
 * request at all), else from the shared DynamoDB item (one read), else fetched from
 * the bank by one container holding a lease while the others wait for its result.
 * A token is refreshed a margin before it expires. A token the bank refuses (401)
 * is dropped here and in DynamoDB, so the next get() fetches a new one.
 */

export interface TokenSource {
  get(deadline: number): Promise<string>;
  invalidate(accessToken: string): Promise<void>;
}

export interface TokenCacheOptions {
  store: DynamoTokenStore;
  /** Fetches a new token from the bank (credentials and token module are loaded inside). */
  fetchToken: (deadline: number) => Promise<IssuedToken>;
  now?: () => number;
  /** Refresh this long before expiry. */
  refreshMarginMs?: number;
  /** How long a container may hold the refresh lease. */
  leaseMs?: number;
  /** How often a waiting container looks for the new token. */
  pollMs?: number;
}

/** A token this close to expiry is not handed out even while another container refreshes. */
const MIN_USABLE_MS = 5000;

export class BankTokenCache implements TokenSource {
  private memory: IssuedToken | undefined;
  private inflight: Promise<string> | undefined;
  private readonly owner = randomUUID();
  private readonly now: () => number;
  private readonly margin: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: TokenCacheOptions) {
    this.now = options.now ?? Date.now;
    this.margin = options.refreshMarginMs ?? REFRESH_MARGIN_MS;
    this.leaseMs = options.leaseMs ?? 5000;
    this.pollMs = options.pollMs ?? 100;
  }

  private fresh(token: IssuedToken, now: number): boolean {
    return token.expiresAt - this.margin > now;
  }

  async get(deadline: number): Promise<string> {
    const memory = this.memory;
    if (memory && this.fresh(memory, this.now())) return memory.accessToken;
    // One load per container at a time: concurrent requests share it.
    this.inflight ??= this.load(deadline).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  async invalidate(accessToken: string): Promise<void> {
    if (this.memory?.accessToken === accessToken) this.memory = undefined;
    await this.options.store.remove(accessToken);
  }

  private async load(deadline: number): Promise<string> {
    const { store } = this.options;
    for (;;) {
      const record = await store.read();
      const now = this.now();
      if (record.token && this.fresh(record.token, now)) {
        this.memory = record.token;
        return record.token.accessToken;
      }
      const leaseFree = record.leaseUntil === undefined || record.leaseUntil <= now;
      const seen = record.token?.accessToken;
      if (leaseFree && (await store.tryLease(this.owner, now + this.leaseMs, now, seen))) {
        return this.refresh(deadline);
      }
      // Another container is refreshing: a token that is still valid serves meanwhile.
      if (record.token && record.token.expiresAt - MIN_USABLE_MS > now)
        return record.token.accessToken;
      if (this.now() + this.pollMs >= deadline) {
        throw new BankUnavailableError("token", "timeout", null, null, 0);
      }
      // Stryker disable next-line ArithmeticOperator: the jitter only sets how long a waiting container sleeps between reads; the deadline check ends the wait either way
      await sleep(this.pollMs * (0.5 + Math.random()));
    }
  }

  private async refresh(deadline: number): Promise<string> {
    const { store, fetchToken } = this.options;
    let token: IssuedToken;
    try {
      token = await fetchToken(deadline);
    } catch (error) {
      await store.releaseLease(this.owner).catch(() => undefined);
      throw error;
    }
    await store.save(token);
    this.memory = token;
    return token.accessToken;
  }
}
