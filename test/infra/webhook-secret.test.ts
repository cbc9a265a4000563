import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

/**
 * `npm run webhook:secret`: the stack's output names the secret, the secret's value
 * goes to stdout and nowhere else. CloudFormation and Secrets Manager are a small
 * HTTP server of this file (the SDK's AWS_ENDPOINT_URL_* settings point there).
 */

const KEY = "Zq8TfW2mR5yK9pLc3vB7nX1dH6sJ4gE0aU8iO2eY5rT7wQ3k";
const SECRET_NAME = "OrderEventsWebhookKeyC7F123A9-Abc123";
let server: Server | undefined;
let url = "";
let outputs: Array<{ OutputKey: string; OutputValue: string }> = [];
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target === "secretsmanager.GetSecretValue") {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        asked.push(SecretId);
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        return res.end(JSON.stringify({ Name: SecretId, SecretString: KEY }));
      }
      // CloudFormation's DescribeStacks (query protocol, or JSON where the SDK uses it).
      const stack = {
        StackName: "BogPayments",
        StackId: "arn:aws:cloudformation:eu-central-1:000000000000:stack/BogPayments/x",
        CreationTime: "2026-11-01T00:00:00Z",
        StackStatus: "CREATE_COMPLETE",
      };
      if (target !== "") {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
        return res.end(JSON.stringify({ Stacks: [{ ...stack, Outputs: outputs }] }));
      }
      const members = outputs
        .map(
          (o) =>
            `<member><OutputKey>${o.OutputKey}</OutputKey><OutputValue>${o.OutputValue}</OutputValue></member>`,
        )
        .join("");
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${stack.StackName}</StackName><StackId>${stack.StackId}</StackId><CreationTime>${stack.CreationTime}</CreationTime><StackStatus>${stack.StackStatus}</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>`,
      );
    });
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "infra/operator/webhook-secret.ts", ...args],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...env,
        AWS_REGION: "eu-central-1",
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_CONFIG_FILE: "/nonexistent/aws-config",
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ENDPOINT_URL_CLOUDFORMATION: url,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
      },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

describe("npm run webhook:secret", () => {
  it("prints the key the stack's output names, and nothing else, to stdout", async () => {
    outputs = [{ OutputKey: "OrderWebhookSecretName", OutputValue: SECRET_NAME }];
    const result = await run([]);
    expect(result).toEqual({ code: 0, stdout: `${KEY}\n`, stderr: "" });
    expect(asked).toEqual([SECRET_NAME]);
  });

  it("a stack without the webhook: says which setting makes one, prints no key", async () => {
    outputs = [];
    const result = await run(["--stack", "BogPayments"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toBe(
      "webhook:secret: stack BogPayments has no order webhook: deploy it with the setting orderWebhookUrl (npx cdk deploy -c orderWebhookUrl=https://…)",
    );
  });

  it("takes no key on its command line, and does not repeat one", async () => {
    const result = await run([KEY]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toBe(
      "webhook:secret: unexpected argument: (credentials are never taken from the command line)",
    );
  });
});
