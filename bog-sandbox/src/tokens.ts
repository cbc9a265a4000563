import {
  createPublicKey,
  type KeyObject,
  randomBytes,
  randomUUID,
  sign,
  timingSafeEqual,
  verify,
} from "node:crypto";
import type { SandboxClock } from "./clock.js";
import type { ExpiresInFormat, TokenFormat } from "./options.js";

/**
 * The bank's OAuth server is Keycloak: client credentials in HTTP Basic, a form
 * body with grant_type=client_credentials, an RS256 JWT back (or, when a test asks
 * for it, an opaque token that says nothing of its expiry). Issued tokens are
 * remembered so that `POST /_sandbox/reset` revokes them.
 */

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export type BearerCheck = { ok: true; clientId: string } | { ok: false; reason: string };

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export class TokenIssuer {
  private readonly publicKey: KeyObject;
  private issued = new Set<string>();
  private opaque = new Map<string, { clientId: string; expiresAtMs: number }>();

  constructor(
    private readonly privateKey: KeyObject,
    private readonly clock: SandboxClock,
    private readonly issuer: () => string,
  ) {
    this.publicKey = createPublicKey(privateKey);
  }

  issue(
    clientId: string,
    lifetimeSeconds: number,
    format: TokenFormat = "jwt",
  ): { token: string; expiresAtMs: number } {
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    if (format === "opaque") {
      const token = randomBytes(32).toString("hex");
      const expiresAtMs = (nowSeconds + lifetimeSeconds) * 1000;
      this.opaque.set(token, { clientId, expiresAtMs });
      return { token, expiresAtMs };
    }
    const jti = randomUUID();
    const header = { alg: "RS256", typ: "JWT", kid: "bog-sandbox" };
    const claims = {
      exp: nowSeconds + lifetimeSeconds,
      iat: nowSeconds,
      jti,
      iss: this.issuer(),
      sub: clientId,
      typ: "Bearer",
      azp: clientId,
      scope: "profile email",
      clientId,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign("sha256", Buffer.from(signingInput), this.privateKey);
    this.issued.add(jti);
    return { token: `${signingInput}.${base64url(signature)}`, expiresAtMs: claims.exp * 1000 };
  }

  /** Checks a Bearer token: our signature, issued since the last reset, not expired. */
  check(authorization: string | undefined): BearerCheck {
    const opaque = this.opaque.get(
      /^Bearer ([0-9a-f]{64})$/i.exec(authorization?.trim() ?? "")?.[1] ?? "",
    );
    if (opaque) {
      if (opaque.expiresAtMs <= this.clock.now()) return { ok: false, reason: "Token expired" };
      return { ok: true, clientId: opaque.clientId };
    }
    const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(
      authorization?.trim() ?? "",
    );
    if (!match) return { ok: false, reason: "Bearer token required" };
    const [, head, body, signature] = match as unknown as [string, string, string, string];
    const valid = verify(
      "sha256",
      Buffer.from(`${head}.${body}`),
      this.publicKey,
      Buffer.from(signature, "base64url"),
    );
    if (!valid) return { ok: false, reason: "Invalid token" };
    let claims: { exp?: unknown; jti?: unknown; azp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return { ok: false, reason: "Invalid token" };
    }
    if (typeof claims.jti !== "string" || !this.issued.has(claims.jti)) {
      return { ok: false, reason: "Invalid token" };
    }
    if (typeof claims.exp !== "number" || claims.exp * 1000 <= this.clock.now()) {
      return { ok: false, reason: "Token expired" };
    }
    return { ok: true, clientId: String(claims.azp) };
  }

  reset(): void {
    this.issued.clear();
    this.opaque.clear();
  }
}

/** The `expires_in` value in the requested form, or the value a test set verbatim. */
export function expiresIn(
  format: ExpiresInFormat,
  verbatim: number | null,
  lifetimeSeconds: number,
  expiresAtMs: number,
): number {
  if (verbatim !== null) return verbatim;
  switch (format) {
    case "seconds":
      return lifetimeSeconds;
    case "epoch-seconds":
      return Math.floor(expiresAtMs / 1000);
    case "epoch-ms":
      return expiresAtMs;
  }
}

/** Parses `Authorization: Basic base64(id:secret)`. */
export function basicCredentials(authorization: string | undefined): Credentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization?.trim() ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
