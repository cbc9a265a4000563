import type { Reply } from "./http.js";

/**
 * The bank's Idempotency-Key: "subsequent requests to the same API endpoint with
 * the same Idempotency-Key header will result in the server returning the same
 * status code and response body as the initial request". Replays are per client
 * and per endpoint, and do not look at the new body. Injected faults and
 * authentication failures happen before the bank's logic and are not recorded.
 */

export class IdempotencyStore {
  private replies = new Map<string, Reply>();

  private static key(clientId: string, endpoint: string, idempotencyKey: string): string {
    return `${clientId}\n${endpoint}\n${idempotencyKey.toLowerCase()}`;
  }

  find(clientId: string, endpoint: string, idempotencyKey: string): Reply | undefined {
    return this.replies.get(IdempotencyStore.key(clientId, endpoint, idempotencyKey));
  }

  remember(clientId: string, endpoint: string, idempotencyKey: string, reply: Reply): void {
    this.replies.set(IdempotencyStore.key(clientId, endpoint, idempotencyKey), reply);
  }

  clear(): void {
    this.replies.clear();
  }
}
