import { RetentionDays } from "aws-cdk-lib/aws-logs";

/**
 * Deployment settings, from CDK context (cdk.json, or `-c name=value` on the command
 * line), checked at synth time: a bad one stops the synth with a message naming it.
 */

export interface DeploySettings {
  /** Browser origins of the shop allowed by CORS, e.g. https://shop.example */
  shopOrigins: string[];
  /** The shop's pages for after payment; `{orderId}` is replaced. */
  successUrlTemplate: string | undefined;
  failUrlTemplate: string | undefined;
  /** production: the bank's live hosts; test: the bank's test environment. */
  bankEnvironment: "production" | "test";
  logRetentionDays: RetentionDays;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  /** Where alarm notifications go; none when unset. */
  alarmEmail: string | undefined;
}

export class SettingError extends Error {
  override readonly name = "SettingError";
  constructor(setting: string, problem: string) {
    super(`CDK context "${setting}" ${problem}`);
  }
}

type Context = (key: string) => unknown;

const RETENTIONS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === "number"),
);

function text(context: Context, key: string): string | undefined {
  const value = context(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new SettingError(key, "must be a string");
  return value.trim();
}

function isLocalhost(url: URL): boolean {
  return url.hostname === "localhost" || url.hostname === "127.0.0.1";
}

function origins(context: Context): string[] {
  const raw = context("shopOrigins");
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : undefined;
  if (!list || list.length === 0) {
    throw new SettingError(
      "shopOrigins",
      'is required: the shop\'s browser origins, e.g. ["https://shop.example"]',
    );
  }
  return list.map((entry) => {
    const value = typeof entry === "string" ? entry.trim() : "";
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new SettingError(
        "shopOrigins",
        `has "${value}", which is not an origin like https://shop.example`,
      );
    }
    if (url.origin !== value) {
      throw new SettingError(
        "shopOrigins",
        `has "${value}": an origin is scheme://host[:port], with no path or slash`,
      );
    }
    if (url.protocol !== "https:" && !isLocalhost(url)) {
      throw new SettingError(
        "shopOrigins",
        `has "${value}": origins must be https (http only for localhost)`,
      );
    }
    return value;
  });
}

function urlTemplate(context: Context, key: string): string | undefined {
  const value = text(context, key);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value.replaceAll("{orderId}", "00000000-0000-4000-8000-000000000000"));
  } catch {
    throw new SettingError(key, "must be an absolute URL, with {orderId} where the order id goes");
  }
  if (url.protocol !== "https:" && !isLocalhost(url))
    throw new SettingError(key, "must be an https URL");
  return value;
}

function wholeNumber(
  context: Context,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = context(key);
  if (raw === undefined) return fallback;
  const value = typeof raw === "string" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new SettingError(key, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function readSettings(context: Context): DeploySettings {
  const bankEnvironment = text(context, "bankEnvironment") ?? "production";
  if (bankEnvironment !== "production" && bankEnvironment !== "test") {
    throw new SettingError("bankEnvironment", "must be production or test");
  }
  const retention = wholeNumber(context, "logRetentionDays", 365, 1, 3653);
  if (!RETENTIONS.has(retention)) {
    throw new SettingError(
      "logRetentionDays",
      `must be one CloudWatch Logs offers: ${[...RETENTIONS].sort((a, b) => a - b).join(", ")}`,
    );
  }
  const alarmEmail = text(context, "alarmEmail");
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new SettingError("alarmEmail", "must be an e-mail address");
  }
  return {
    shopOrigins: origins(context),
    successUrlTemplate: urlTemplate(context, "successUrlTemplate"),
    failUrlTemplate: urlTemplate(context, "failUrlTemplate"),
    bankEnvironment,
    logRetentionDays: retention as RetentionDays,
    throttleRateLimit: wholeNumber(context, "throttleRateLimit", 50, 1, 10_000),
    throttleBurstLimit: wholeNumber(context, "throttleBurstLimit", 100, 1, 5_000),
    alarmEmail,
  };
}
