import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOG_CALLBACK_PUBLIC_KEY_PEM } from "../../lib/bog/bank-callback-key.js";
import {
  readBankConfig,
  readCallbackPublicKeyPem,
  readMerchantId,
  readOrderConfig,
  readTablesConfig,
} from "../../lib/config.js";
import { ConfigError } from "../../lib/errors.js";

const secret = { BOG_CREDENTIALS_SECRET_ID: "bog/credentials" };

function configError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("bank configuration", () => {
  it("defaults to the bank's production hosts", () => {
    expect(readBankConfig(secret).endpoints).toEqual({
      tokenUrl: "https://oauth2.bog.ge/auth/realms/bog/protocol/openid-connect/token",
      apiBaseUrl: "https://api.bog.ge/payments/v1",
    });
  });

  it("selects the bank's test hosts", () => {
    expect(readBankConfig({ ...secret, BOG_ENVIRONMENT: "test" }).endpoints).toEqual({
      tokenUrl: "https://oauth2-sandbox.bog.ge/auth/realms/bog/protocol/openid-connect/token",
      apiBaseUrl: "https://api-sandbox.bog.ge/payments/v1",
    });
  });

  it("points everything at one base URL for the local sandbox", () => {
    const config = readBankConfig({ ...secret, BOG_BASE_URL: "http://127.0.0.1:3100/" });
    expect(config.endpoints).toEqual({
      tokenUrl: "http://127.0.0.1:3100/auth/realms/bog/protocol/openid-connect/token",
      apiBaseUrl: "http://127.0.0.1:3100/payments/v1",
    });
  });

  it("reads credentials from Secrets Manager, with a max age", () => {
    expect(
      readBankConfig({ ...secret, BOG_CREDENTIALS_MAX_AGE_SECONDS: "60" }).credentials,
    ).toEqual({
      source: "secretsManager",
      secretId: "bog/credentials",
      maxAgeMs: 60_000,
    });
    expect(readBankConfig(secret).credentials).toMatchObject({ maxAgeMs: 900_000 });
  });

  it("reads credentials from the environment for local use", () => {
    expect(readBankConfig({ BOG_CLIENT_ID: "id", BOG_CLIENT_SECRET: "s" }).credentials).toEqual({
      source: "environment",
      clientId: "id",
      clientSecret: "s",
    });
  });

  it.each([
    [
      {},
      "BOG_CREDENTIALS_SECRET_ID",
      "is required (or BOG_CLIENT_ID and BOG_CLIENT_SECRET for local use)",
    ],
    [
      { ...secret, BOG_ENVIRONMENT: "staging" },
      "BOG_ENVIRONMENT",
      "must be one of production, test",
    ],
    [{ ...secret, BOG_BASE_URL: "not a url" }, "BOG_BASE_URL", "must be an absolute URL"],
    [{ ...secret, BOG_BASE_URL: "ftp://x" }, "BOG_BASE_URL", "must be an http(s) URL"],
    [{ ...secret, BOG_CLIENT_ID: "id" }, "BOG_CREDENTIALS_SECRET_ID", "must not be combined"],
    [{ BOG_CLIENT_ID: "id" }, "BOG_CLIENT_SECRET", "is required with the other"],
    [{ BOG_CLIENT_SECRET: "s" }, "BOG_CLIENT_ID", "is required with the other"],
    [
      { ...secret, BOG_CREDENTIALS_MAX_AGE_SECONDS: "-1" },
      "BOG_CREDENTIALS_MAX_AGE_SECONDS",
      "must be a whole number",
    ],
    [
      { ...secret, BOG_CREDENTIALS_MAX_AGE_SECONDS: "1.5" },
      "BOG_CREDENTIALS_MAX_AGE_SECONDS",
      "must be a whole number",
    ],
  ])("fails fast, naming the setting: %j", (env, setting, problem) => {
    const error = configError(() => readBankConfig(env));
    expect(error.setting).toBe(setting);
    expect(error.message.startsWith(`${setting} ${problem}`)).toBe(true);
  });

  it("never echoes a secret it refuses", () => {
    const error = configError(() => readBankConfig({ BOG_CLIENT_SECRET: "very-secret-value" }));
    expect(error.message).not.toContain("very-secret-value");
  });
});

describe("table configuration", () => {
  const tables = { ORDERS_TABLE: "o", BANK_TOKEN_TABLE: "t", CATALOG_TABLE: "c" };

  it("reads table names and an optional local endpoint", () => {
    expect(readTablesConfig(tables)).toEqual({
      orders: "o",
      bankToken: "t",
      catalog: "c",
      endpoint: undefined,
    });
    expect(
      readTablesConfig({ ...tables, DYNAMODB_ENDPOINT: "http://127.0.0.1:8000" }).endpoint,
    ).toBe("http://127.0.0.1:8000");
  });

  it.each(["ORDERS_TABLE", "BANK_TOKEN_TABLE", "CATALOG_TABLE"])("requires %s", (name) => {
    const error = configError(() => readTablesConfig({ ...tables, [name]: " " }));
    expect(error.message).toBe(`${name} is required`);
  });
});

describe("callback public key configuration", () => {
  it("defaults to the bank's published key", () => {
    expect(readCallbackPublicKeyPem({})).toBe(BOG_CALLBACK_PUBLIC_KEY_PEM);
  });

  it("takes PEM text, with \\n escapes as environment variables often have them", () => {
    const oneLine = BOG_CALLBACK_PUBLIC_KEY_PEM.trim().replace(/\n/g, "\\n");
    expect(readCallbackPublicKeyPem({ BOG_CALLBACK_PUBLIC_KEY: oneLine })).toBe(
      BOG_CALLBACK_PUBLIC_KEY_PEM.trim(),
    );
  });

  it("takes a path to a PEM file", () => {
    const path = join(tmpdir(), `bog-key-${process.pid}.pem`);
    writeFileSync(path, BOG_CALLBACK_PUBLIC_KEY_PEM);
    expect(readCallbackPublicKeyPem({ BOG_CALLBACK_PUBLIC_KEY: path })).toBe(
      BOG_CALLBACK_PUBLIC_KEY_PEM,
    );
  });

  it("names the setting when the value is neither", () => {
    expect(
      configError(() => readCallbackPublicKeyPem({ BOG_CALLBACK_PUBLIC_KEY: "/no/such.pem" }))
        .setting,
    ).toBe("BOG_CALLBACK_PUBLIC_KEY");
  });
});

describe("capture mode", () => {
  const order = { CALLBACK_URL: "https://pay.example/cb" };
  it("is automatic unless the shop says manual", () => {
    expect(readOrderConfig(order).captureMode).toBe("automatic");
    expect(readOrderConfig({ ...order, CAPTURE_MODE: "manual" }).captureMode).toBe("manual");
  });
  it("names the setting when it is neither", () => {
    expect(configError(() => readOrderConfig({ ...order, CAPTURE_MODE: "later" })).message).toBe(
      "CAPTURE_MODE must be automatic or manual",
    );
  });
});

describe("merchant id", () => {
  it("is optional (learned when unset) and taken as the bank writes it", () => {
    expect(readMerchantId({})).toBeUndefined();
    expect(readMerchantId({ BOG_MERCHANT_ID: "39155" })).toBe("39155");
  });
  it("names the setting when it cannot be a bank client id", () => {
    expect(configError(() => readMerchantId({ BOG_MERCHANT_ID: "39155; drop" })).setting).toBe(
      "BOG_MERCHANT_ID",
    );
  });
});

describe("delivery fees", () => {
  it("refuses a fee above the largest amount, so that no order fails on it later", () => {
    const env = { CALLBACK_URL: "https://pay.example/cb" };
    expect(
      readOrderConfig({ ...env, DELIVERY_FEES: '{"GEL":"999999999.99"}' }).deliveryFees,
    ).toEqual({
      GEL: 99_999_999_999,
    });
    expect(
      configError(() => readOrderConfig({ ...env, DELIVERY_FEES: '{"GEL":"1000000000.00"}' }))
        .setting,
    ).toBe("DELIVERY_FEES");
  });
});
