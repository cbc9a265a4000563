import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exampleOrderEvent } from "../support/example-events.js";
import { runScript, type ScriptRun } from "../support/run-script.js";
import { verifiedEvent } from "../support/webhook-verify.js";

/**
 * `npm run webhook -- secret | rotate-secret [--finish] | redrive`: CloudFormation,
 * Secrets Manager and SQS are a small HTTP server of this file (the SDK's
 * AWS_ENDPOINT_URL_* settings point there), and the shop's backend another one whose
 * deliveries are checked with the Standard Webhooks library.
 */

const newKey = () => randomBytes(24).toString("base64");
const SECRET_NAME = "OrderEventsWebhookSigningSecret-Abc123";

const EVENT = exampleOrderEvent({ reference: null });

let aws: Server;
let shop: Server;
let awsUrl = "";
let shopUrl = "";
let outputs: Array<{ OutputKey: string; OutputValue: string }> = [];
let stored: Record<string, string> = {};
/** When Secrets Manager stored the current version (epoch ms). */
let storedAt = Date.now();
const written: string[] = [];
let messages: Array<{ MessageId: string; ReceiptHandle: string; Body: string }> = [];
const deleted: string[] = [];
const hidden: string[] = [];
const delivered: Array<{ raw: Buffer; headers: IncomingMessage["headers"] }> = [];
let shopReplies: number[] = [];

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });

beforeAll(async () => {
  aws = createServer(async (req, res) => {
    const body = await read(req);
    const target = String(req.headers["x-amz-target"] ?? "");
    const json = (value: unknown, type = "application/x-amz-json-1.1") => {
      res.writeHead(200, { "content-type": type });
      res.end(JSON.stringify(value));
    };
    if (target === "secretsmanager.GetSecretValue")
      return json({
        Name: SECRET_NAME,
        SecretString: JSON.stringify(stored),
        CreatedDate: storedAt / 1000,
      });
    if (target === "secretsmanager.PutSecretValue") {
      const { SecretString } = JSON.parse(body) as { SecretString: string };
      written.push(SecretString);
      stored = JSON.parse(SecretString) as Record<string, string>;
      storedAt = Date.now();
      return json({ Name: SECRET_NAME, VersionId: "v2" });
    }
    if (target === "AmazonSQS.ReceiveMessage")
      return json(
        {
          Messages: messages
            .filter((m) => !deleted.includes(m.ReceiptHandle))
            .map((m) => ({ ...m, MD5OfBody: createHash("md5").update(m.Body).digest("hex") })),
        },
        "application/x-amz-json-1.0",
      );
    if (target === "AmazonSQS.ChangeMessageVisibility") {
      const change = JSON.parse(body) as { ReceiptHandle: string; VisibilityTimeout: number };
      hidden.push(`${change.ReceiptHandle} for ${change.VisibilityTimeout} s`);
      return json({}, "application/x-amz-json-1.0");
    }
    if (target === "AmazonSQS.DeleteMessage") {
      deleted.push((JSON.parse(body) as { ReceiptHandle: string }).ReceiptHandle);
      return json({}, "application/x-amz-json-1.0");
    }
    // CloudFormation's DescribeStacks (the query protocol: XML).
    const members = outputs
      .map(
        (o) =>
          `<member><OutputKey>${o.OutputKey}</OutputKey><OutputValue>${o.OutputValue}</OutputValue></member>`,
      )
      .join("");
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(
      `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>BogPayments</StackName><StackId>arn:aws:cloudformation:eu-central-1:000000000000:stack/BogPayments/x</StackId><CreationTime>2026-11-01T00:00:00Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    );
  });
  shop = createServer(async (req, res) => {
    const raw = Buffer.from(await read(req), "utf8");
    delivered.push({ raw, headers: req.headers });
    res.writeHead(shopReplies.shift() ?? 204).end();
  });
  for (const server of [aws, shop])
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  awsUrl = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/bog-events`;
});
afterAll(async () => {
  for (const server of [aws, shop]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
beforeEach(() => {
  outputs = [
    { OutputKey: "OrderWebhookSecretName", OutputValue: SECRET_NAME },
    // The SDK sends to the queue URL's host: this server.
    {
      OutputKey: "OrderWebhookDeadLetterQueueUrl",
      OutputValue: `${awsUrl}/000000000000/webhook-dead-letters`,
    },
    { OutputKey: "OrderWebhookUrl", OutputValue: shopUrl },
  ];
  stored = { current: newKey() };
  storedAt = Date.now() - 3_600_000;
  written.length = 0;
  messages = [];
  deleted.length = 0;
  hidden.length = 0;
  delivered.length = 0;
  shopReplies = [];
});

function run(args: string[]): Promise<ScriptRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  return runScript("cli/webhook.ts", args, {
    ...env,
    AWS_REGION: "eu-central-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ENDPOINT_URL_CLOUDFORMATION: awsUrl,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: awsUrl,
    AWS_ENDPOINT_URL_SQS: awsUrl,
  });
}

describe("npm run webhook -- secret", () => {
  it("prints the signing secret as whsec_…, and nothing else, to stdout", async () => {
    const result = await run(["secret"]);
    expect(result).toEqual({ code: 0, stdout: `whsec_${stored.current}\n`, stderr: "" });
  });

  it("a stack without the webhook: says which setting makes one, prints no secret", async () => {
    outputs = [];
    const result = await run(["secret", "--stack", "BogPayments"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toBe(
      "webhook: stack BogPayments has no order webhook: deploy it with the setting orderWebhookUrl (npx cdk deploy -c orderWebhookUrl=https://…)",
    );
  });

  it("takes no secret on its command line, and does not repeat one", async () => {
    const given = `whsec_${newKey()}`;
    const result = await run(["secret", given]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toContain(given);
  });
});

describe("npm run webhook -- rotate-secret", () => {
  it("adds a new secret, the old one still valid; --finish retires the old one", async () => {
    const old = stored.current as string;
    const started = await run(["rotate-secret"]);
    expect(started.code).toBe(0);
    expect(stored.previous).toBe(old);
    expect(stored.current).not.toBe(old);
    expect(started.stdout).toBe(`whsec_${stored.current}\n`);
    expect(started.stderr).not.toContain(old);
    expect(Date.parse(stored.rotatedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    // A second rotation before the first is finished is refused.
    expect((await run(["rotate-secret"])).code).toBe(1);
    // Finishing within the senders' 5 minutes of cache (and a minute's margin) is refused: some deliveries are
    // still signed with the old secret alone.
    const early = await run(["rotate-secret", "--finish"]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("less than 6 minutes ago");
    // Six minutes by the operator's clock, but Secrets Manager stored it just now: refused.
    stored = { ...stored, rotatedAt: new Date(Date.now() - 6 * 60_000).toISOString() };
    expect((await run(["rotate-secret", "--finish"])).code).toBe(1);
    storedAt = Date.now() - 6 * 60_000;
    const current = stored.current;
    const done = await run(["rotate-secret", "--finish"]);
    expect(done.code).toBe(0);
    expect(stored).toEqual({ current });
    expect(written).toHaveLength(2);
    expect(JSON.parse(written[0] as string)).toMatchObject({ previous: old });
    expect((await run(["rotate-secret", "--finish"])).code).toBe(1);
  });
});

describe("npm run webhook -- redrive", () => {
  it("sends each dead-lettered event again, signed afresh; deletes what went, keeps what did not, and says how many", async () => {
    messages = [
      { MessageId: "m-1", ReceiptHandle: "h-1", Body: JSON.stringify(EVENT) },
      { MessageId: "m-2", ReceiptHandle: "h-2", Body: JSON.stringify({ ...EVENT, version: 4 }) },
      { MessageId: "m-3", ReceiptHandle: "h-3", Body: "{not an event" },
    ];
    shopReplies = [204, 500];
    const result = await run(["redrive"]);
    expect(result.stdout).toBe("redrive: 1 delivered, 2 failed (kept)\n");
    expect(result.code).toBe(2);
    expect(deleted).toEqual(["h-1"]);
    // What failed is out of the run's way while it runs, and in the queue again at its end.
    expect(hidden).toEqual(["h-2 for 43200 s", "h-3 for 43200 s", "h-2 for 0 s", "h-3 for 0 s"]);
    expect(delivered).toHaveLength(2);
    expect(verifiedEvent(`whsec_${stored.current}`, delivered[0] as never)).toEqual(EVENT);
    expect(delivered[0]?.headers["webhook-id"]).toBe(`order_${EVENT.orderId}_v3`);
  });

  it("an empty dead-letter queue: nothing to send", async () => {
    const result = await run(["redrive"]);
    expect(result).toEqual({ code: 0, stdout: "redrive: 0 delivered, 0 failed\n", stderr: "" });
  });
});
