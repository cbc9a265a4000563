import { Logger } from "@aws-lambda-powertools/logger";

/**
 * Structured JSON logs (Powertools Logger), one line per decision, with the order id
 * as correlation key. Never logged: tokens, secrets, card data, a buyer's contact,
 * request bodies. Level from POWERTOOLS_LOG_LEVEL (default INFO).
 */
export type Log = Pick<Logger, "debug" | "info" | "warn" | "error" | "appendKeys" | "removeKeys">;

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
