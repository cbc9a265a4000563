import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parseTarget, stackOutput } from "./stack-outputs.js";

/**
 * `npm run --silent webhook:secret [-- --stack NAME]`: prints the order webhook's key
 * (the secret the stack generated, named by its output `OrderWebhookSecretName`) to
 * stdout and nothing else, for the shop's operator to put where the shop's backend
 * reads it: `npm run --silent webhook:secret > webhook-key.txt`, or piped into the
 * shop's own secret store. Never logged, never an argument; messages go to stderr.
 * Read with the caller's AWS credentials (secretsmanager:GetSecretValue on it, and
 * kms:Decrypt with the stack's key).
 */
export const WEBHOOK_SECRET_OUTPUT = "OrderWebhookSecretName";

async function main(): Promise<void> {
  const { stack } = parseTarget(process.argv.slice(2), {});
  const secretName = await stackOutput(stack, WEBHOOK_SECRET_OUTPUT).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      message.includes(WEBHOOK_SECRET_OUTPUT)
        ? `stack ${stack} has no order webhook: deploy it with the setting orderWebhookUrl (npx cdk deploy -c orderWebhookUrl=https://…)`
        : message,
    );
  });
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretName }));
    if (!SecretString) throw new Error(`the secret ${secretName} holds no text`);
    process.stdout.write(`${SecretString}\n`);
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  // The SDK's error messages name the secret, never its value.
  console.error(`webhook:secret: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
