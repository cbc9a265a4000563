import { CredentialsError } from "../errors.js";

/**
 * The bank's client id and secret. In AWS: a Secrets Manager secret holding
 * `{"clientId": "...", "clientSecret": "..."}`, read on first need and cached per
 * container for a max age. Locally: values from configuration. No error here ever
 * contains the secret's text.
 */

export interface BankCredentials {
  clientId: string;
  clientSecret: string;
}

export interface CredentialsProvider {
  get(): Promise<BankCredentials>;
}

export function parseCredentialsSecret(text: string | undefined): BankCredentials {
  if (text === undefined || text.trim() === "") {
    throw new CredentialsError(
      "the bank credentials secret is empty: run `npm run bog:credentials`",
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CredentialsError("the bank credentials secret is not JSON");
  }
  const { clientId, clientSecret } = (
    typeof value === "object" && value !== null ? value : {}
  ) as Record<string, unknown>;
  if (typeof clientId !== "string" || clientId.trim() === "") {
    throw new CredentialsError('the bank credentials secret has no non-empty string "clientId"');
  }
  if (typeof clientSecret !== "string" || clientSecret.trim() === "") {
    throw new CredentialsError(
      'the bank credentials secret has no non-empty string "clientSecret"',
    );
  }
  return { clientId: clientId.trim(), clientSecret: clientSecret.trim() };
}

export function staticCredentials(credentials: BankCredentials): CredentialsProvider {
  return { get: async () => credentials };
}

/** Reads a secret's string with the AWS SDK, loaded only when a secret is first needed. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

let secretsClient: import("@aws-sdk/client-secrets-manager").SecretsManagerClient | undefined;

export const readSecretWithSdk: SecretReader = async (secretId) => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import(
    "@aws-sdk/client-secrets-manager"
  );
  secretsClient ??= new SecretsManagerClient({});
  const answer = await secretsClient.send(new GetSecretValueCommand({ SecretId: secretId }));
  return answer.SecretString;
};

export class SecretsManagerCredentials implements CredentialsProvider {
  private cached: { value: BankCredentials; loadedAt: number } | undefined;
  private loading: Promise<BankCredentials> | undefined;

  constructor(
    private readonly secretId: string,
    private readonly maxAgeMs: number,
    private readonly readSecret: SecretReader = readSecretWithSdk,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<BankCredentials> {
    if (this.cached && this.now() - this.cached.loadedAt < this.maxAgeMs) return this.cached.value;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<BankCredentials> {
    let text: string | undefined;
    try {
      text = await this.readSecret(this.secretId);
    } catch (error) {
      // The SDK's error names (ResourceNotFoundException, AccessDeniedException…) carry no secret.
      const name = error instanceof Error ? error.name : "unknown error";
      throw new CredentialsError(`could not read the bank credentials secret (${name})`);
    }
    const value = parseCredentialsSecret(text);
    this.cached = { value, loadedAt: this.now() };
    return value;
  }
}
