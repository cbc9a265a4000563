import { describe, expect, it } from "vitest";
import {
  basic,
  createOrder,
  get,
  post,
  requestToken,
  token,
  validOrder,
} from "../support/bank-calls.js";
import { useSandbox } from "../support/sandbox-fixture.js";

/**
 * Conformance with the bank's API document, section 1, "Authentication
 * (client-credentials token)": each header, body field and answer field the section
 * lists, and each rule it states, one test apiece, named after the document's field.
 * Where the document says nothing of a refusal's shape, the sandbox answers like the
 * bank's OAuth server (Keycloak), `{error, error_description}`: a sandbox reading.
 */

const { sandbox, receiver } = useSandbox();

type Json = Record<string, unknown>;

const FORM = "application/x-www-form-urlencoded";

const credentials = () => basic(sandbox().clientId, sandbox().clientSecret);

/** A call of a further method (create order) with `authorization` as its Authorization header. */
const orderWith = (authorization: string) =>
  post(sandbox(), "/payments/v1/ecommerce/orders", validOrder(receiver().url), { authorization });

describe("1. Authentication: header parameters", () => {
  it("Authorization: required; a token request without it is refused", async () => {
    const withIt = await requestToken(sandbox(), { authorization: credentials() });
    expect(withIt.status, withIt.text).toBe(200);

    const without = await requestToken(sandbox(), { authorization: "" });
    // The document gives no status for a refusal; 401 invalid_client is Keycloak's (a sandbox reading).
    expect(without.status).toBe(401);
    expect(without.body.error).toBe("invalid_client");
  });

  it("Authorization: 'Basic ' + '<client_id>:<secret_key>' encoded in Base64", async () => {
    const { clientId, clientSecret } = sandbox();
    // Built exactly as the document describes it, and as curl's -u {client_id}:{client_secret} does.
    const documented = `Basic ${Buffer.from(`${clientId}:${clientSecret}`, "utf8").toString("base64")}`;
    const ok = await requestToken(sandbox(), { authorization: documented });
    expect(ok.status, ok.text).toBe(200);
    expect(typeof ok.body.access_token).toBe("string");

    for (const authorization of [
      basic(clientId, `${clientSecret}-wrong`),
      basic(`${clientId}-unknown`, clientSecret),
      basic(clientSecret, clientId),
      `Basic ${Buffer.from(clientId).toString("base64")}`,
      `Bearer ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      `Basic ${clientId}:${clientSecret}`,
    ]) {
      const refused = await requestToken(sandbox(), { authorization });
      expect(refused.status, authorization).toBe(401);
      expect(refused.body.error, authorization).toBe("invalid_client");
      expect(refused.body.access_token).toBeUndefined();
    }
  });

  it("Content-Type: required, application/x-www-form-urlencoded", async () => {
    const form = await requestToken(sandbox(), { contentType: FORM });
    expect(form.status, form.text).toBe(200);

    for (const contentType of ["application/json", "text/plain", ""]) {
      const refused = await requestToken(sandbox(), {
        contentType,
        form:
          contentType === "application/json"
            ? JSON.stringify({ grant_type: "client_credentials" })
            : "grant_type=client_credentials",
      });
      expect(refused.status, contentType).toBe(400);
      expect(refused.body.error_description, contentType).toContain("Content-Type");
      expect(refused.body.error_description, contentType).toContain(FORM);
    }
  });
});

describe("1. Authentication: body parameters", () => {
  it("grant_type: required", async () => {
    for (const form of ["", "scope=profile", "client_credentials"]) {
      const refused = await requestToken(sandbox(), { form });
      expect(refused.status, form).toBe(400);
      expect(refused.body.error_description, form).toContain("grant_type");
    }
  });

  it("grant_type: the fixed text client_credentials", async () => {
    // As curl's --data-urlencode 'grant_type=client_credentials' sends it.
    const fixed = await requestToken(sandbox(), { form: "grant_type=client_credentials" });
    expect(fixed.status, fixed.text).toBe(200);

    for (const grant of ["password", "authorization_code", "refresh_token", "CLIENT_CREDENTIALS"]) {
      const refused = await requestToken(sandbox(), { form: `grant_type=${grant}` });
      expect(refused.status, grant).toBe(400);
      expect(refused.body.error_description, grant).toContain("grant_type");
      expect(refused.body.access_token).toBeUndefined();
    }
  });
});

describe("1. Authentication: response", () => {
  it("access_token: a string, the token returned by the authorization server (a <JWT>)", async () => {
    const { status, body } = await requestToken(sandbox());
    expect(status).toBe(200);
    expect(typeof body.access_token).toBe("string");
    // The document's example answer says "<JWT>", create order's header "Bearer <jwt_token>".
    const parts = (body.access_token as string).split(".");
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
    const header = JSON.parse(Buffer.from(parts[0] ?? "", "base64url").toString("utf8")) as Json;
    expect(typeof header.alg).toBe("string");
    // Each request gets its own token.
    const again = await requestToken(sandbox());
    expect(again.body.access_token).not.toBe(body.access_token);
  });

  it("token_type: a string, the fixed value Bearer", async () => {
    for (let i = 0; i < 2; i += 1) {
      const { status, body } = await requestToken(sandbox());
      expect(status).toBe(200);
      expect(body.token_type).toBe("Bearer");
    }
  });

  it("expires_in: a number", async () => {
    const { status, body } = await requestToken(sandbox());
    expect(status).toBe(200);
    expect(typeof body.expires_in).toBe("number");
    expect(Number.isFinite(body.expires_in)).toBe(true);
    expect(body.expires_in as number).toBeGreaterThan(0);
  });

  it("expires_in: the number of seconds while the Token is active", async () => {
    const { body } = await requestToken(sandbox());
    const accessToken = body.access_token as string;
    const seconds = body.expires_in as number;
    // The text says seconds (its example is an epoch in ms); the sandbox answers seconds by default.
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: seconds - 2 });
    const active = await orderWith(`Bearer ${accessToken}`);
    expect(active.status, active.text).toBe(200);

    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 3 });
    const expired = await orderWith(`Bearer ${accessToken}`);
    expect(expired.status).toBe(401);
    expect(expired.body.id).toBeUndefined();
  });
});

describe("1. Authentication: method description", () => {
  it("Bearer Token: the necessary authentication parameter for calling all further methods", async () => {
    const accessToken = await token(sandbox());
    const created = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    expect(created.status, created.text).toBe(200);
    const id = created.body.id as string;
    const details = await get(sandbox(), `/payments/v1/receipt/${id}`, {
      authorization: `Bearer ${accessToken}`,
    });
    expect(details.status, details.text).toBe(200);

    const forged = `${accessToken.slice(0, accessToken.lastIndexOf(".") + 1)}${Buffer.from("forged").toString("base64url")}`;
    for (const authorization of [
      "",
      credentials(),
      `Bearer ${forged}`,
      "Bearer not-a-token",
      accessToken,
    ]) {
      const order = await orderWith(authorization);
      expect(order.status, authorization).toBe(401);
      const read = await get(sandbox(), `/payments/v1/receipt/${id}`, { authorization });
      expect(read.status, authorization).toBe(401);
    }
  });
});
