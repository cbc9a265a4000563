import type { Reply } from "./http.js";

/**
 * The bank's Idempotency-Key: "subsequent requests to the same API endpoint with
 * the same Idempotency-Key header will result in the server returning the same
 * status code and response body as the initial request". Replays are per client,
 * endpoint and order, and do not look at the new body. The key is taken before the
 * work starts, so requests racing with one key share its one answer. Injected faults
 * and authentication failures happen before the bank's logic and are not recorded.
 * A reset forgets every key, and work begun before it records nothing after it.
 */

/** The most answers kept; the oldest go first (a sandbox reading: the bank keeps them for a while). */
const MAX_KEPT = 10_000;

export class IdempotencyStore {
  private replies = new Map<string, Promise<Reply>>();

  private static key(clientId: string, scope: string, idempotencyKey: string): string {
    return `${clientId}\n${scope}\n${idempotencyKey.toLowerCase()}`;
  }

  /**
   * The answer for this key: the first request's (awaited if still in progress), or
   * `work`'s, which becomes the key's answer. Work that throws leaves the key free.
   */
  once(
    clientId: string,
    scope: string,
    idempotencyKey: string,
    work: () => Promise<Reply>,
  ): Promise<Reply> {
    const key = IdempotencyStore.key(clientId, scope, idempotencyKey);
    const known = this.replies.get(key);
    if (known) return known;
    const replies = this.replies;
    const answer = work();
    replies.set(key, answer);
    if (replies.size > MAX_KEPT) {
      const oldest = replies.keys().next().value;
      if (oldest !== undefined) replies.delete(oldest);
    }
    answer.catch(() => {
      if (replies.get(key) === answer) replies.delete(key);
    });
    return answer;
  }

  clear(): void {
    // A new map: work begun before the reset settles into the old one, which nobody reads.
    this.replies = new Map();
  }
}
