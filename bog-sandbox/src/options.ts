/** How the sandbox is set up; everything has a default that behaves like the bank. */

/**
 * How `expires_in` is written in token answers. The bank's text says seconds; its
 * own example is an epoch in milliseconds. Clients must cope with all three.
 */
export const EXPIRES_IN_FORMATS = ["seconds", "epoch-seconds", "epoch-ms"] as const;
export type ExpiresInFormat = (typeof EXPIRES_IN_FORMATS)[number];

/**
 * What an access token looks like: a JWT (as the document's example says, "<JWT>"),
 * or an opaque string in which nothing says when it expires.
 */
export const TOKEN_FORMATS = ["jwt", "opaque"] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

/** Settings a test may change while the sandbox runs (`POST /_sandbox/config`). */
export interface RuntimeConfig {
  /** Lifetime of issued access tokens. */
  tokenLifetimeSeconds: number;
  expiresInFormat: ExpiresInFormat;
  /** Answered as `expires_in` verbatim when set (the document's example: 1634719923245). */
  expiresInValue: number | null;
  tokenFormat: TokenFormat;
  /** Delay before each retry of an unacknowledged callback; its length is the retry count. */
  callbackRetryDelaysMs: number[];
  /** How long one callback attempt may take before it counts as failed. */
  callbackTimeoutMs: number;
}

export interface Merchant {
  id: string;
  brandKa: string;
  brandEn: string;
  url: string;
}

/** Another business with its own credentials at the same bank (whose callbacks the bank signs alike). */
export interface OtherMerchant {
  clientId: string;
  clientSecret: string;
  merchant: Merchant;
}

export interface SandboxOptions extends RuntimeConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  clientId: string;
  clientSecret: string;
  merchant: Merchant;
  /**
   * Other merchants of the same bank: their orders are theirs alone (our credentials
   * cannot read them), yet their callbacks are signed with the same key as ours, as
   * the bank's are. For trying what another merchant's signed callback can do.
   */
  otherMerchants: OtherMerchant[];
  /**
   * Callbacks are delivered to loopback hosts only unless this is set: the sandbox
   * must never send traffic to a machine nobody asked it to reach.
   */
  deliverCallbacksToAnyHost: boolean;
  /** PEM of the RSA key that signs tokens and callbacks; a new one per start by default. */
  privateKeyPem?: string;
  /** Receives one line per request and per callback attempt; silent by default. */
  log?: (line: string) => void;
}

const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = {
  tokenLifetimeSeconds: 300,
  expiresInFormat: "seconds",
  expiresInValue: null,
  tokenFormat: "jwt",
  callbackRetryDelaysMs: [1000, 2000, 4000, 8000, 16000],
  callbackTimeoutMs: 5000,
};

export const DEFAULT_OPTIONS: SandboxOptions = {
  ...DEFAULT_RUNTIME_CONFIG,
  host: "127.0.0.1",
  port: 3100,
  clientId: "sandbox-client",
  clientSecret: "sandbox-secret",
  merchant: {
    id: "10000",
    brandKa: "სანდბოქს მაღაზია",
    brandEn: "Sandbox Shop",
    url: "https://shop.example",
  },
  otherMerchants: [
    {
      clientId: "other-client",
      clientSecret: "other-secret",
      merchant: {
        id: "20000",
        brandKa: "სხვა მაღაზია",
        brandEn: "Another Shop",
        url: "https://other.example",
      },
    },
  ],
  deliverCallbacksToAnyHost: false,
};

/** Limits of the runtime settings, shared by option parsing and the config endpoint. */
export const RUNTIME_LIMITS = {
  tokenLifetimeSeconds: { min: 1, max: 86_400 },
  callbackRetries: { max: 20 },
  callbackRetryDelayMs: { min: 0, max: 3_600_000 },
  callbackTimeoutMs: { min: 10, max: 120_000 },
} as const;
