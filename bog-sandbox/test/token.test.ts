import { describe, expect, it } from "vitest";
import { basic, post, requestToken, stats } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox } = useSandbox();

function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
}

describe("sandbox token endpoint (Keycloak client credentials)", () => {
  it("issues a Bearer JWT with exp and expires_in for Basic client credentials", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await requestToken(sandbox());
    expect(status).toBe(200);
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(300);
    const claims = jwtClaims(body.access_token as string);
    expect(claims.exp).toBeGreaterThanOrEqual(before + 300);
    expect(claims.exp).toBeLessThanOrEqual(before + 301);
    expect(claims.azp).toBe("sandbox-client");
  });

  it.each([
    ["seconds", (_exp: number, v: number) => expect(v).toBe(60)],
    ["epoch-seconds", (exp: number, v: number) => expect(v).toBe(exp)],
    ["epoch-ms", (exp: number, v: number) => expect(v).toBe(exp * 1000)],
  ] as const)("answers expires_in in the %s form", async (format, check) => {
    await post(sandbox(), "/_sandbox/config", {
      tokenLifetimeSeconds: 60,
      expiresInFormat: format,
    });
    const { body } = await requestToken(sandbox());
    check(jwtClaims(body.access_token as string).exp as number, body.expires_in as number);
  });

  it.each([
    ["wrong secret", basic("sandbox-client", "wrong")],
    ["wrong client id", basic("someone-else", "sandbox-secret")],
    ["no credentials", ""],
    ["Bearer instead of Basic", "Bearer abc"],
    ["Basic without a colon", `Basic ${Buffer.from("sandbox-client").toString("base64")}`],
  ])("401 invalid_client for %s", async (_case, authorization) => {
    const { status, body } = await requestToken(sandbox(), { authorization });
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
    expect(typeof body.error_description).toBe("string");
  });

  it("400 unsupported_grant_type for another grant type", async () => {
    const { status, body } = await requestToken(sandbox(), { form: "grant_type=password" });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: "unsupported_grant_type",
      error_description: "Unsupported grant_type",
    });
  });

  it("400 invalid_request when grant_type is missing", async () => {
    const { status, body } = await requestToken(sandbox(), { form: "" });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  it("400 invalid_request for a JSON body instead of a form", async () => {
    const { status, body } = await requestToken(sandbox(), {
      contentType: "application/json",
      form: JSON.stringify({ grant_type: "client_credentials" }),
    });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  it("counts every token request", async () => {
    await requestToken(sandbox());
    await requestToken(sandbox(), { form: "grant_type=password" });
    const { body } = await requestToken(sandbox(), { authorization: "" });
    expect(body.error).toBe("invalid_client");
    expect((await stats(sandbox())).token).toBe(3);
  });
});
