import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { BankConfig } from "../config.js";
import { BogClient, type BogClientOptions, type Warn } from "./client.js";
import {
  type CredentialsProvider,
  SecretsManagerCredentials,
  staticCredentials,
} from "./credentials.js";
import { BankTokenCache, type TokenCacheOptions } from "./token-cache.js";
import { DynamoTokenStore, tokenItemKey } from "./token-store.js";

/**
 * Wires the bank client for a function: credentials from the configured source,
 * the token cache on the shared DynamoDB table, the typed client. Build it once per
 * container at module scope. Nothing here calls the bank or AWS until first use;
 * the token module is imported only when a token must be fetched.
 */
export function createBankClient(
  config: BankConfig,
  doc: DynamoDBDocumentClient,
  tokenTable: string,
  options: {
    log?: Warn;
    onThrottled?: () => void;
    onCall?: BogClientOptions["onCall"];
    credentials?: CredentialsProvider;
    cache?: Partial<TokenCacheOptions>;
  } = {},
): { client: BogClient; tokens: BankTokenCache } {
  const source = config.credentials;
  const credentials =
    options.credentials ??
    (source.source === "secretsManager"
      ? new SecretsManagerCredentials(source.secretId, source.maxAgeMs)
      : staticCredentials({ clientId: source.clientId, clientSecret: source.clientSecret }));
  const sourceId =
    source.source === "secretsManager" ? `secret:${source.secretId}` : `id:${source.clientId}`;
  const store = new DynamoTokenStore(
    doc,
    tokenTable,
    tokenItemKey(config.endpoints.tokenUrl, sourceId),
  );
  const tokens = new BankTokenCache({
    store,
    fetchToken: async (deadline) => {
      const { requestBankToken } = await import("./token-endpoint.js");
      return requestBankToken(config.endpoints.tokenUrl, await credentials.get(), deadline);
    },
    ...options.cache,
  });
  const clientOptions: BogClientOptions = {
    endpoints: config.endpoints,
    tokens,
    log: options.log,
    onThrottled: options.onThrottled,
    onCall: options.onCall,
  };
  return { client: new BogClient(clientOptions), tokens };
}
