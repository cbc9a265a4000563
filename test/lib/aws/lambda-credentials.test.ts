import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultProvider } from "../../../lib/aws/lambda-credentials.js";

/**
 * In the deployed bundles the SDK's default credential chain is this provider
 * (infra/bundling.ts aliases it): the role's credentials from the environment, as
 * Lambda sets them, and a clear failure when they are missing, never another source.
 */
const NAMES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"];
let saved: Record<string, string | undefined> = {};

beforeEach(() => {
  saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
  for (const n of NAMES) delete process.env[n];
});
afterEach(() => {
  for (const [n, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[n];
    else process.env[n] = v;
  }
});

describe("the bundles' credential provider", () => {
  it("answers the role's credentials Lambda puts in the environment", async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: "ASIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "session",
    });
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: "ASIAEXAMPLE",
      secretAccessKey: "secret",
      sessionToken: "session",
    });
  });

  it("fails without them, even with a profile configured: no other source is tried", async () => {
    process.env.AWS_PROFILE = "someone";
    await expect(defaultProvider()()).rejects.toMatchObject({ name: "CredentialsProviderError" });
  });
});
