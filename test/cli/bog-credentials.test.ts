import { spawnSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readCredentials, secretValue, validateCredentials } from "../../cli/credentials-input.js";
import { parseCredentialsSecret } from "../../lib/bog/credentials.js";
import { REPO_ROOT } from "../support/paths.js";

const SECRET = "7697064-very-secret";

describe("bank credentials input", () => {
  it("stores exactly the JSON the functions read", () => {
    const credentials = validateCredentials("10001626", SECRET);
    expect(parseCredentialsSecret(secretValue(credentials))).toEqual(credentials);
  });

  it.each([
    ["", SECRET, "the client id is empty"],
    ["10001626", "", "the client secret is empty"],
    ["100 01", SECRET, "the client id contains spaces or control characters"],
    ["10001626", "a\u0001b", "the client secret contains spaces or control characters"],
    ["1".repeat(257), SECRET, "the client id is longer than 256 characters"],
  ])("refuses id %j / secret %j", (id, secret, message) => {
    expect(() => validateCredentials(id, secret)).toThrow(message);
  });

  it("reads two lines when stdin is not a terminal, and prints neither", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (c: Buffer) => {
      printed += c.toString();
    });
    input.end(`10001626\n${SECRET}\n`);
    expect(await readCredentials(input, output)).toEqual({
      clientId: "10001626",
      clientSecret: SECRET,
    });
    expect(printed).toContain("Bank of Georgia client secret: ");
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain("10001626");
  });

  it("does not echo what is typed at a terminal", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const output = new PassThrough();
    let printed = "";
    output.on("data", (c: Buffer) => {
      printed += c.toString();
    });
    const reading = readCredentials(input, output);
    input.write("10001626\r");
    await new Promise((resolve) => setTimeout(resolve, 20));
    input.write(`${SECRET}\r`);
    expect(await reading).toEqual({ clientId: "10001626", clientSecret: SECRET });
    expect(printed).not.toContain(SECRET);
  });

  it("never takes credentials from the command line, and does not repeat them", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", "cli/bog-credentials.ts", SECRET],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      "bog:credentials: unexpected argument: (credentials are never taken from the command line)",
    );
    expect(result.stderr + result.stdout).not.toContain(SECRET);
  });
});
