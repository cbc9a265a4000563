/**
 * CloudWatch metrics in the Embedded Metric Format: one JSON line on stdout, which
 * Lambda's log ingestion turns into a metric, with no SDK call and no extra latency.
 */

export const METRICS_NAMESPACE = "BogPayments";

/** The metric an alarm watches: callbacks whose signature did not verify. */
export const INVALID_CALLBACK_SIGNATURE = "InvalidCallbackSignature";

export type MetricWriter = (line: string) => void;

const stdout: MetricWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

export function countMetric(name: string, write: MetricWriter = stdout): void {
  write(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [[]],
            Metrics: [{ Name: name, Unit: "Count" }],
          },
        ],
      },
      [name]: 1,
    }),
  );
}

/** Signed callbacks that verify but do not match the order they name (kept aside, answered 200). */
export const CALLBACK_ANOMALY = "CallbackAnomaly";

/** Callbacks without a signature (each may cost a bank lookup; a flood shows here). */
export const UNSIGNED_CALLBACK = "UnsignedCallback";

/** The bank answered 429: its rate limit shows here before customers feel it. */
export const BANK_THROTTLED = "BankThrottled";
