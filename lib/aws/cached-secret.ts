import { readSecretWithSdk, type SecretReader } from "./read-secret.js";

/**
 * A Secrets Manager secret read on first need and kept per container for `maxAgeMs`
 * (a change reaches every container within that time); one read at a time, however
 * many requests wait for it. What the text must be is the caller's `parse`; a read that
 * fails is the caller's `unreadable` error, given only the SDK's error name (which
 * carries no secret).
 */

export interface CachedSecretOptions<T> {
  secretId: string;
  maxAgeMs: number;
  parse: (text: string | undefined) => T;
  /** The error for a secret that could not be read; `name` is the SDK's error name. */
  unreadable: (name: string) => Error;
  readSecret?: SecretReader;
  now?: () => number;
}

export type { SecretReader };

export class CachedSecret<T> {
  private cached: { value: T; loadedAt: number } | undefined;
  private loading: Promise<T> | undefined;

  constructor(private readonly options: CachedSecretOptions<T>) {}

  async get(): Promise<T> {
    const now = this.options.now ?? Date.now;
    if (this.cached && now() - this.cached.loadedAt < this.options.maxAgeMs)
      return this.cached.value;
    this.loading ??= this.load(now).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(now: () => number): Promise<T> {
    const read = this.options.readSecret ?? readSecretWithSdk;
    let text: string | undefined;
    try {
      text = await read(this.options.secretId);
    } catch (error) {
      throw this.options.unreadable(error instanceof Error ? error.name : "unknown error");
    }
    const value = this.options.parse(text);
    this.cached = { value, loadedAt: now() };
    return value;
  }
}
