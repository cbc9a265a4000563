import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { eventOfBody } from "../lib/webhooks/event-body.js";
import { sendEvent } from "../lib/webhooks/send-event.js";
import {
  asWhsec,
  finished,
  parseStoredSecrets,
  rotated,
  rotationSettled,
  type StoredSecrets,
  signingKeys,
} from "../lib/webhooks/signing-secrets.js";
import { sqsDeliveryQueue } from "../lib/webhooks/sqs-delivery-queue.js";
import { stackOutput } from "./stack-outputs.js";

/**
 * `npm run webhook -- <command>`, the order webhook's operator commands (docs/commands.md):
 *
 * - `secret`: prints the signing secret (`whsec_…`) for the shop's verifier to stdout,
 *   and nothing else;
 * - `rotate-secret`: a new secret; the old one stays valid (every delivery carries both
 *   signatures) until `rotate-secret --finish`; prints the new one;
 * - `redrive`: sends every event in the webhook's dead-letter queue again, signed
 *   afresh, and says how many went and how many failed (those stay);
 * - `redrive --local`: the same for `npm start`'s store (DynamoDB Local), through the
 *   local stack's loopback route.
 *
 * With the caller's AWS credentials; `--stack NAME` (default BogPayments). Secrets are
 * never taken from the command line and never logged; messages go to stderr.
 */

export const WEBHOOK_SECRET_OUTPUT = "OrderWebhookSecretName";
export const WEBHOOK_DEAD_LETTERS_OUTPUT = "OrderWebhookDeadLetterQueueUrl";

const USAGE =
  "usage: npm run webhook -- secret | rotate-secret [--finish] | redrive [--local] [--stack NAME]";

interface Args {
  command: "secret" | "rotate-secret" | "redrive";
  stack: string;
  finish: boolean;
  local: boolean;
}

function parseArgs(args: string[]): Args {
  const [command, ...rest] = args;
  if (command !== "secret" && command !== "rotate-secret" && command !== "redrive")
    throw new Error(USAGE);
  let stack = "BogPayments";
  let finish = false;
  let local = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === "--stack") {
      const next = rest[++i];
      if (!next) throw new Error("--stack needs a stack name");
      stack = next;
    } else if (arg === "--finish" && command === "rotate-secret") finish = true;
    else if (arg === "--local" && command === "redrive") local = true;
    else
      throw new Error(
        `unexpected argument (secrets are never taken from the command line). ${USAGE}`,
      );
  }
  return { command, stack, finish, local };
}

async function outputOf(stack: string, name: string): Promise<string> {
  return stackOutput(stack, name).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      message.includes(name)
        ? `stack ${stack} has no order webhook: deploy it with the setting orderWebhookUrl (npx cdk deploy -c orderWebhookUrl=https://…)`
        : message,
    );
  });
}

async function readStored(client: SecretsManagerClient, secretId: string): Promise<StoredSecrets> {
  return (await readVersion(client, secretId)).stored;
}

/** The stored secrets, and when Secrets Manager stored this version (its own clock). */
async function readVersion(
  client: SecretsManagerClient,
  secretId: string,
): Promise<{ stored: StoredSecrets; storedAt: number | undefined }> {
  const { SecretString, CreatedDate } = await client.send(
    new GetSecretValueCommand({ SecretId: secretId }),
  );
  return { stored: parseStoredSecrets(SecretString), storedAt: CreatedDate?.getTime() };
}

async function secretCommand(args: Args): Promise<void> {
  const secretId = await outputOf(args.stack, WEBHOOK_SECRET_OUTPUT);
  const client = new SecretsManagerClient({});
  try {
    const { stored, storedAt } = await readVersion(client, secretId);
    if (args.command === "secret") {
      process.stdout.write(`${asWhsec(stored.current)}\n`);
      if (stored.previous)
        console.error(
          "a rotation is under way: deliveries carry this secret's signature and the previous one's; finish it with npm run webhook -- rotate-secret --finish",
        );
      return;
    }
    if (args.finish) {
      if (!stored.previous) throw new Error("no rotation is under way: nothing to finish");
      if (!rotationSettled(stored, Date.now(), storedAt))
        throw new Error(
          "the rotation started less than 6 minutes ago: some deliveries may still be signed with the old secret alone; finish it later",
        );
      await client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: JSON.stringify(finished(stored)),
        }),
      );
      console.error(
        "rotation finished: only the current secret signs deliveries (within 5 minutes)",
      );
      return;
    }
    if (stored.previous)
      throw new Error("a rotation is already under way: finish it first (rotate-secret --finish)");
    const next = rotated(stored);
    await client.send(
      new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(next) }),
    );
    process.stdout.write(`${asWhsec(next.current)}\n`);
    console.error(
      "new secret above: within 5 minutes every delivery carries its signature and the old one's; after those 5 minutes, give it to the shop's verifier, then run npm run webhook -- rotate-secret --finish",
    );
  } finally {
    client.destroy();
  }
}

/** How long a message that failed again stays out of sight: the rest of the run (shown again at its end). */
const FAILED_HIDDEN_MS = 12 * 3_600_000;

/** Every message of the dead-letter queue once: sent again, deleted when delivered. */
async function redriveQueue(args: Args): Promise<{ delivered: number; failed: number }> {
  const [secretId, queueUrl, url] = await Promise.all([
    outputOf(args.stack, WEBHOOK_SECRET_OUTPUT),
    outputOf(args.stack, WEBHOOK_DEAD_LETTERS_OUTPUT),
    outputOf(args.stack, "OrderWebhookUrl"),
  ]);
  const secrets = new SecretsManagerClient({});
  const sqs = new SQSClient({});
  // The dead-letter queue, with the calls the sender uses on its own queue: hide, delete.
  const queue = sqsDeliveryQueue(sqs, queueUrl, queueUrl);
  let delivered = 0;
  let failed = 0;
  const seen = new Set<string>();
  /** Receipt handles of the messages that failed again: visible once more when the run ends. */
  const hidden: string[] = [];
  try {
    const keys = signingKeys(await readStored(secrets, secretId));
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          // Long enough to send the batch; a failed one shows again after it.
          VisibilityTimeout: 300,
          WaitTimeSeconds: 1,
        }),
      );
      const fresh = (Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId as string);
        const handle = message.ReceiptHandle ?? "";
        const detail = eventOfBody(message.Body ?? "");
        const sent = detail
          ? await sendEvent(detail, 1, { url, keys, now: Date.now })
          : { outcome: "dead" as const, reason: "not an event" };
        if (sent.outcome === "delivered") {
          delivered += 1;
          await queue.remove(handle);
        } else {
          failed += 1;
          console.error(`not delivered: ${message.MessageId} (${sent.reason})`);
          // Out of this run's way: a receive that brings only seen ones ends it.
          await queue.retryLater(handle, FAILED_HIDDEN_MS);
          hidden.push(handle);
        }
      }
    }
    // What failed is in the dead-letter queue again, at once: its alarm counts it, and a
    // redrive right after this one tries it.
    for (const handle of hidden) await queue.retryLater(handle, 0);
  } finally {
    secrets.destroy();
    sqs.destroy();
  }
  return { delivered, failed };
}

/** `npm start`'s store, through its loopback route (the running stack holds the secret). */
async function redriveLocal(): Promise<{ delivered: number; failed: number }> {
  const port = process.env.PORT || "3000";
  const response = await fetch(`http://127.0.0.1:${port}/_local/webhook/redrive`, {
    method: "POST",
  }).catch(() => {
    throw new Error(`no local stack at http://127.0.0.1:${port}: run npm start (PORT=${port})`);
  });
  const body = (await response.json().catch(() => ({}))) as {
    delivered?: number;
    failed?: number;
    error?: { message?: string };
  };
  if (!response.ok || typeof body.delivered !== "number" || typeof body.failed !== "number")
    throw new Error(body.error?.message ?? `the local stack answered ${response.status}`);
  return { delivered: body.delivered, failed: body.failed };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.command !== "redrive") return secretCommand(args);
  const { delivered, failed } = args.local ? await redriveLocal() : await redriveQueue(args);
  console.log(`redrive: ${delivered} delivered, ${failed} failed${failed > 0 ? " (kept)" : ""}`);
  if (failed > 0) process.exitCode = 2;
}

main().catch((error: unknown) => {
  // The SDK's error messages name secrets and queues, never a secret's value.
  console.error(`webhook: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
