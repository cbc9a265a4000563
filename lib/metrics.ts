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

/** Values of several metrics in one EMF line (counts, or a gauge with its unit). */
export function putMetrics(
  values: ReadonlyArray<{ name: string; value: number; unit: "Count" | "None" }>,
  write: MetricWriter = stdout,
): void {
  write(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [[]],
            Metrics: values.map(({ name, unit }) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      ...Object.fromEntries(values.map(({ name, value }) => [name, value])),
    }),
  );
}

/** The sweep's counts per run: open orders it asked the bank about, and those the answer changed. */
export const RECONCILE_CHECKED = "ReconcileChecked";
export const RECONCILE_REPAIRED = "ReconcileRepaired";
/** Minutes since the oldest order still open was created (0 when none is): the alarm's metric. */
export const OPEN_ORDER_AGE_MINUTES = "OpenOrderAgeMinutes";
