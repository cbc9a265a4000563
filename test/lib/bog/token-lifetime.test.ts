import { describe, expect, it } from "vitest";
import {
  expiresInToEpochMs,
  FALLBACK_TOKEN_LIFETIME_MS,
  jwtExpiry,
  MAX_TOKEN_LIFETIME_MS,
  REFRESH_MARGIN_MS,
  tokenExpiry,
} from "../../../lib/bog/token-lifetime.js";

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const jwt = (claims: Record<string, unknown>) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;

describe("bank token lifetime", () => {
  it("prefers the JWT's exp claim", () => {
    const token = jwt({ exp: NOW / 1000 + 600 });
    expect(jwtExpiry(token)).toBe(NOW + 600_000);
    expect(tokenExpiry(token, 300, NOW)).toBe(NOW + 600_000);
  });

  it.each([
    ["seconds (the documented meaning)", 300, NOW + 300_000],
    ["epoch seconds", NOW / 1000 + 900, NOW + 900_000],
    ["epoch milliseconds (the documented example's form)", NOW + 1_200_000, NOW + 1_200_000],
  ])("reads expires_in as %s when the token has no exp", (_case, expiresIn, expected) => {
    expect(tokenExpiry("opaque-token", expiresIn, NOW)).toBe(expected);
  });

  it("caps any lifetime at one hour", () => {
    expect(tokenExpiry("opaque", 86_400, NOW)).toBe(NOW + MAX_TOKEN_LIFETIME_MS);
    expect(tokenExpiry(jwt({ exp: NOW / 1000 + 86_400 }), undefined, NOW)).toBe(
      NOW + MAX_TOKEN_LIFETIME_MS,
    );
  });

  it.each([
    ["the documentation's own example, an epoch in 2021", 1634719923245],
    ["no expires_in", undefined],
    ["zero", 0],
    ["a negative number", -5],
    ["a string", "300"],
    ["NaN", Number.NaN],
    ["60 seconds, no more than the refresh margin", 60],
    ["an epoch in ms a minute ahead", NOW + 60_000],
  ])("falls back to the bounded default lifetime for %s", (_case, expiresIn) => {
    expect(tokenExpiry("opaque", expiresIn, NOW)).toBe(NOW + FALLBACK_TOKEN_LIFETIME_MS);
  });

  it("ignores an exp that has already passed, and a JWT it cannot read", () => {
    expect(tokenExpiry(jwt({ exp: NOW / 1000 - 10 }), 300, NOW)).toBe(NOW + 300_000);
    expect(tokenExpiry("a.!!!.c", 300, NOW)).toBe(NOW + 300_000);
    expect(tokenExpiry(jwt({ exp: "soon" }), 300, NOW)).toBe(NOW + 300_000);
  });

  it("the default lifetime is five minutes, at least twice the refresh margin; the longest one hour", () => {
    expect(FALLBACK_TOKEN_LIFETIME_MS).toBe(300_000);
    expect(FALLBACK_TOKEN_LIFETIME_MS).toBeGreaterThanOrEqual(2 * REFRESH_MARGIN_MS);
    expect(MAX_TOKEN_LIFETIME_MS).toBe(3_600_000);
  });

  it("a lifetime just past the refresh margin is used; a JWT exp inside it is not", () => {
    expect(tokenExpiry("opaque", 61, NOW)).toBe(NOW + 61_000);
    expect(tokenExpiry(jwt({ exp: NOW / 1000 + 60 }), undefined, NOW)).toBe(
      NOW + FALLBACK_TOKEN_LIFETIME_MS,
    );
  });

  it("reads 10^12 and above as epoch milliseconds, 10^9 and above as epoch seconds", () => {
    expect(expiresInToEpochMs(1e12, NOW)).toBe(1e12);
    expect(expiresInToEpochMs(1e12 - 1, NOW)).toBe((1e12 - 1) * 1000);
    expect(expiresInToEpochMs(1e9, NOW)).toBe(1e12);
    expect(expiresInToEpochMs(1e9 - 1, NOW)).toBe(NOW + (1e9 - 1) * 1000);
    // npm run bank:check describes the answer with these: zero and negatives are no lifetime.
    expect(expiresInToEpochMs(0, NOW)).toBeUndefined();
    expect(expiresInToEpochMs(-5, NOW)).toBeUndefined();
    expect(expiresInToEpochMs(0.5, NOW)).toBe(NOW + 500);
  });

  it("an exp of exactly now is already passed; an expiry of now, or inside the margin, gets the default", () => {
    expect(tokenExpiry(jwt({ exp: NOW / 1000 }), 300, NOW)).toBe(NOW + 300_000);
    expect(tokenExpiry("opaque", NOW, NOW)).toBe(NOW + FALLBACK_TOKEN_LIFETIME_MS);
    expect(tokenExpiry("opaque", NOW + REFRESH_MARGIN_MS, NOW)).toBe(
      NOW + FALLBACK_TOKEN_LIFETIME_MS,
    );
    expect(tokenExpiry("opaque", NOW + REFRESH_MARGIN_MS + 1, NOW)).toBe(
      NOW + REFRESH_MARGIN_MS + 1,
    );
  });
});
