import { PutSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { readCredentials, secretValue } from "./credentials-input.js";
import { parseTarget, stackOutput } from "./stack-outputs.js";

/**
 * `npm run bog:credentials [-- --stack NAME]`: stores the bank's client id and secret
 * in the deployed stack's secret. They are typed at a prompt that does not echo;
 * they are never arguments (shell history), never printed, never logged.
 */
async function main(): Promise<void> {
  const { stack } = parseTarget(process.argv.slice(2), {});
  const secretName = await stackOutput(stack, "BankCredentialsSecretName");
  const credentials = await readCredentials(process.stdin, process.stdout);
  const client = new SecretsManagerClient({});
  await client.send(
    new PutSecretValueCommand({ SecretId: secretName, SecretString: secretValue(credentials) }),
  );
  client.destroy();
  console.log(
    `Stored the bank credentials in ${secretName}. Running functions pick them up within 15 minutes.`,
  );
}

main().catch((error: unknown) => {
  console.error(`bog:credentials: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
