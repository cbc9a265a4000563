import { CachedSecret, type SecretReader } from "../aws/cached-secret.js";
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

/** The bank's credentials from Secrets Manager, cached per container for `maxAgeMs`. */
export class SecretsManagerCredentials implements CredentialsProvider {
  private readonly secret: CachedSecret<BankCredentials>;

  constructor(secretId: string, maxAgeMs: number, readSecret?: SecretReader, now?: () => number) {
    this.secret = new CachedSecret({
      secretId,
      maxAgeMs,
      parse: parseCredentialsSecret,
      unreadable: (name) =>
        new CredentialsError(`could not read the bank credentials secret (${name})`),
      ...(readSecret ? { readSecret } : {}),
      ...(now ? { now } : {}),
    });
  }

  get(): Promise<BankCredentials> {
    return this.secret.get();
  }
}
