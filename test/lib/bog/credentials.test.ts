import { describe, expect, it } from "vitest";
import { parseCredentialsSecret, SecretsManagerCredentials } from "../../../lib/bog/credentials.js";
import { CredentialsError } from "../../../lib/errors.js";

/**
 * Secrets Manager has no local emulator here, so the provider is tested with an
 * injected reader: what is under test is the parsing, the caching and the error
 * wording, which are ours; the SDK call itself is one line.
 */

const SECRET_TEXT = "s3cr3t-VALUE-never-echoed";

describe("bank credentials secret", () => {
  it("reads clientId and clientSecret", () => {
    expect(
      parseCredentialsSecret(JSON.stringify({ clientId: "10001", clientSecret: SECRET_TEXT })),
    ).toEqual({
      clientId: "10001",
      clientSecret: SECRET_TEXT,
    });
  });

  it.each([
    ["missing", undefined, "the bank credentials secret is empty"],
    ["empty", "  ", "the bank credentials secret is empty"],
    ["not JSON", `clientSecret=${SECRET_TEXT}`, "the bank credentials secret is not JSON"],
    ["a JSON string", JSON.stringify(SECRET_TEXT), 'has no non-empty string "clientId"'],
    [
      "without clientId",
      JSON.stringify({ clientSecret: SECRET_TEXT }),
      'has no non-empty string "clientId"',
    ],
    [
      "with an empty secret",
      JSON.stringify({ clientId: "1", clientSecret: "" }),
      'no non-empty string "clientSecret"',
    ],
    [
      "snake_case keys",
      JSON.stringify({ client_id: "1", client_secret: SECRET_TEXT }),
      '"clientId"',
    ],
    ["a numeric secret", JSON.stringify({ clientId: "1", clientSecret: 42 }), '"clientSecret"'],
  ])("refuses a secret that is %s, without echoing it", (_case, text, message) => {
    expect(() => parseCredentialsSecret(text)).toThrow(CredentialsError);
    try {
      parseCredentialsSecret(text);
    } catch (error) {
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain(SECRET_TEXT);
    }
  });

  it("reads the secret once per max age, and once for concurrent callers", async () => {
    let reads = 0;
    let now = 0;
    const provider = new SecretsManagerCredentials(
      "bog/credentials",
      60_000,
      async () => {
        reads += 1;
        return JSON.stringify({ clientId: "1", clientSecret: SECRET_TEXT });
      },
      () => now,
    );
    await Promise.all([provider.get(), provider.get(), provider.get()]);
    expect(reads).toBe(1);
    now = 59_999;
    await provider.get();
    expect(reads).toBe(1);
    now = 60_000;
    await provider.get();
    expect(reads).toBe(2);
  });

  it("reports an SDK failure by its error name only", async () => {
    const provider = new SecretsManagerCredentials("bog/credentials", 60_000, async () => {
      const error = new Error(`Secrets Manager can't find the specified secret ${SECRET_TEXT}`);
      error.name = "ResourceNotFoundException";
      throw error;
    });
    await expect(provider.get()).rejects.toThrow(
      new CredentialsError(
        "could not read the bank credentials secret (ResourceNotFoundException)",
      ),
    );
  });

  it("tries again after a failed read", async () => {
    let fail = true;
    const provider = new SecretsManagerCredentials("id", 60_000, async () => {
      if (fail) throw new Error("throttled");
      return JSON.stringify({ clientId: "1", clientSecret: "x" });
    });
    await expect(provider.get()).rejects.toThrow(CredentialsError);
    fail = false;
    await expect(provider.get()).resolves.toEqual({ clientId: "1", clientSecret: "x" });
  });
});
