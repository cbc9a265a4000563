import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import type { RunningSandbox } from "bog-sandbox";
import { createBankClient } from "../../lib/bog/create-bank-client.js";
import type { BankCredentials, CredentialsProvider } from "../../lib/bog/credentials.js";
import { tokenItemKey } from "../../lib/bog/token-store.js";
import { readBankConfig } from "../../lib/config.js";
import { countingDocumentClient, RequestCounter } from "./dynamo-fixture.js";

/**
 * One simulated Lambda container: its own DynamoDB client (with a request counter),
 * its own credentials provider (counting reads, like Secrets Manager calls) and its
 * own token cache, all on the shared token table and the sandbox bank.
 */
export function container(
  sandbox: RunningSandbox,
  tables: { endpoint: string; bankToken: string },
  options: {
    now?: () => number;
    credentials?: BankCredentials;
    pollMs?: number;
    leaseMs?: number;
  } = {},
) {
  const dynamo = new RequestCounter();
  const doc = countingDocumentClient(tables.endpoint, dynamo);
  const config = readBankConfig({
    BOG_BASE_URL: sandbox.url,
    BOG_CLIENT_ID: sandbox.clientId,
    BOG_CLIENT_SECRET: sandbox.clientSecret,
  });
  const secretReads = { count: 0 };
  const credentials: CredentialsProvider = {
    async get() {
      secretReads.count += 1;
      return (
        options.credentials ?? { clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }
      );
    },
  };
  const warnings: Array<{ message: string; attributes?: Record<string, unknown> }> = [];
  const { client, tokens } = createBankClient(config, doc, tables.bankToken, {
    credentials,
    log: { warn: (message, attributes) => warnings.push({ message, attributes }) },
    cache: { now: options.now, pollMs: options.pollMs ?? 20, leaseMs: options.leaseMs },
  });
  return { client, tokens, dynamo, secretReads, doc, warnings };
}

/** The token item every container of this sandbox shares. */
export function tokenKey(sandbox: RunningSandbox): string {
  return tokenItemKey(
    `${sandbox.url}/auth/realms/bog/protocol/openid-connect/token`,
    `id:${sandbox.clientId}`,
  );
}

export async function forgetSharedToken(
  sandbox: RunningSandbox,
  tables: { endpoint: string; bankToken: string },
): Promise<void> {
  const doc = countingDocumentClient(tables.endpoint, new RequestCounter());
  await doc.send(
    new DeleteCommand({ TableName: tables.bankToken, Key: { pk: tokenKey(sandbox) } }),
  );
  doc.destroy();
}

export const soon = (ms = 10_000) => Date.now() + ms;
