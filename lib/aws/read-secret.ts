/** Reads a Secrets Manager secret's string (the SDK's in AWS, a stand-in in tests). */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

let secretsClient: import("@aws-sdk/client-secrets-manager").SecretsManagerClient | undefined;

/** The AWS SDK's reader, its client loaded only when a secret is first needed. */
export const readSecretWithSdk: SecretReader = async (secretId) => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import(
    "@aws-sdk/client-secrets-manager"
  );
  // Bounded like DynamoDB's (lib/dynamo/client.ts): a stalled Secrets Manager is a clear
  // error within seconds, not a request held until the function's timeout.
  secretsClient ??= new SecretsManagerClient({
    maxAttempts: 2,
    requestHandler: { requestTimeout: 3000, connectionTimeout: 2000, throwOnRequestTimeout: true },
  });
  const answer = await secretsClient.send(new GetSecretValueCommand({ SecretId: secretId }));
  return answer.SecretString;
};
