import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { isLoopbackHost } from "../lib/loopback.js";
import { localPort, type Target, UsageError } from "./merchant-args.js";
import { type Signer, sigV4Signer } from "./merchant-http.js";
import { stackOutput } from "./stack-outputs.js";

/**
 * Where the merchant API is and how to sign for it. `--local`: npm start's API on
 * loopback, unsigned (it serves the merchant routes there without IAM). Otherwise the
 * stack's `ApiUrl` output (or `MERCHANT_API_URL`, say a custom domain), signed SigV4
 * for `execute-api` in the API's region.
 */

export interface ResolvedTarget {
  base: URL;
  signer?: Signer;
}

/** A failure to find or reach the stack before any request was sent (exit code 3). */
export class TargetError extends Error {
  override name = "TargetError";
}

/** `abc123.execute-api.eu-central-1.amazonaws.com` → `eu-central-1`. */
export function regionFromHost(hostname: string): string | undefined {
  return /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/i.exec(hostname)?.[1];
}

/** The region the SDK would use (AWS_REGION, the profile's region, …). */
async function sdkRegion(): Promise<string> {
  const client = new CloudFormationClient({});
  try {
    return await client.config.region();
  } catch {
    throw new TargetError(
      "no AWS region: set AWS_REGION (or a region in your AWS profile) to the stack's region",
    );
  } finally {
    client.destroy();
  }
}

export async function resolveTarget(
  target: Target,
  env: NodeJS.ProcessEnv,
): Promise<ResolvedTarget> {
  if (target.kind === "local") return { base: new URL(`http://127.0.0.1:${localPort(env)}`) };

  let raw = env.MERCHANT_API_URL;
  if (raw) {
    if (!URL.canParse(raw)) throw new UsageError(`MERCHANT_API_URL is not a URL: ${raw}`);
  } else {
    try {
      raw = await stackOutput(target.stack, "ApiUrl");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new TargetError(
        `could not find the API of stack ${target.stack}: ${message}${
          /region is missing/i.test(message) ? " (set AWS_REGION to the stack's region)" : ""
        }`,
      );
    }
  }
  const base = new URL(raw);
  // A signed request is a bearer credential for a few minutes: never over plain http,
  // except to this machine (tests, a local proxy).
  if (base.protocol !== "https:" && !(base.protocol === "http:" && isLoopbackHost(base.hostname)))
    throw new UsageError(`refusing to send signed requests to ${base.origin}: use https`);
  const region = regionFromHost(base.hostname) ?? (await sdkRegion());
  return { base, signer: sigV4Signer(region) };
}
