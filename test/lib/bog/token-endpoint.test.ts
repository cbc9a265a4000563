import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { requestTokenAnswer } from "../../../lib/bog/token-endpoint.js";
import {
  BankRejectedError,
  BankResponseError,
  BankUnauthorizedError,
  BankUnavailableError,
} from "../../../lib/errors.js";
import { post, stats } from "../../support/bank-calls.js";
import { soon } from "../../support/bank-container.js";
import { useSandbox } from "../../support/sandbox-fixture.js";

/**
 * The client-credentials request and what each answer of the bank's Keycloak becomes:
 * the sandbox for the bank's own answers, a plain HTTP server for answers the bank
 * should never give (a 200 that is not a token).
 */

const { sandbox } = useSandbox();
const tokenUrl = () => `${sandbox().url}/auth/realms/bog/protocol/openid-connect/token`;
const ours = () => ({ clientId: sandbox().clientId, clientSecret: sandbox().clientSecret });

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A token endpoint that answers every request with this status and body. */
async function answering(body: string, status = 200): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
}

describe("the bank's token endpoint", () => {
  it("answers the token as the bank wrote it", async () => {
    const answer = await requestTokenAnswer(tokenUrl(), ours(), soon());
    expect(answer.accessToken.split(".")).toHaveLength(3);
    expect(answer.tokenType).toBe("Bearer");
    expect(answer.expiresIn).toBeDefined();
  });

  it("wrong credentials are a BankUnauthorizedError", async () => {
    const error = await requestTokenAnswer(
      tokenUrl(),
      { clientId: sandbox().clientId, clientSecret: "wrong" },
      soon(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnauthorizedError);
  });

  it("a refusal other than 401 is a BankRejectedError with the bank's status and message, sent once", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "token", status: 400, count: 1 });
    const error = await requestTokenAnswer(tokenUrl(), ours(), soon()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankRejectedError);
    expect(error).toMatchObject({
      operation: "token",
      status: 400,
      bankMessage: "Sandbox fault: HTTP 400",
    });
    expect((await stats(sandbox())).token).toBe(1);
  });

  it.each([
    ["not JSON", "<html>maintenance</html>", "the bank's token answer is not JSON"],
    ["no access_token", '{"token_type":"Bearer"}', "the bank's token answer has no access_token"],
    ["an empty access_token", '{"access_token":""}', "the bank's token answer has no access_token"],
    [
      "a number for access_token",
      '{"access_token":42}',
      "the bank's token answer has no access_token",
    ],
  ])("a 200 with %s is a BankResponseError that says so", async (_what, body, message) => {
    const error = await requestTokenAnswer(await answering(body), ours(), soon()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BankResponseError);
    expect((error as Error).message).toBe(message);
  });

  it("a 400 that says invalid_client (Keycloak's other way of saying it) is a BankUnauthorizedError", async () => {
    const url = await answering('{"error":"invalid_client","error_description":"x"}', 400);
    const error = await requestTokenAnswer(url, ours(), soon()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnauthorizedError);
  });

  it("a token endpoint that stays down is a BankUnavailableError naming the token request", async () => {
    await post(sandbox(), "/_sandbox/faults", { target: "token", status: 503, count: 10 });
    const error = await requestTokenAnswer(tokenUrl(), ours(), soon(), {
      policy: {
        maxAttempts: 3,
        baseDelayMs: 10,
        maxDelayMs: 20,
        attemptTimeoutMs: 2000,
        minAttemptMs: 50,
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BankUnavailableError);
    expect(error).toMatchObject({ operation: "token", status: 503, attempts: 3 });
  });
});
