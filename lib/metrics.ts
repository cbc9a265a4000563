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

type MetricUnit = "Count" | "Milliseconds" | "None";

export interface MetricOptions {
  unit?: MetricUnit;
  /** At most a few, each of few values (a currency, an outcome, an operation). */
  dimensions?: Record<string, string>;
}

/** Records one value of a metric (1 by default: a count). */
export type MetricFn = (name: string, value?: number, options?: MetricOptions) => void;

/**
 * One EMF line. The same format Powertools Metrics writes, without its default
 * `service` dimension (the alarms watch these metrics without dimensions) and
 * without a dependency in every bundle.
 */
export function emitMetric(
  name: string,
  value = 1,
  options: MetricOptions = {},
  write: MetricWriter = stdout,
): void {
  write(emfLine([{ name, value, unit: options.unit ?? "Count" }], options.dimensions ?? {}));
}

/** One EMF line for metrics that share their dimensions. */
function emfLine(
  values: ReadonlyArray<{ name: string; value: number; unit: MetricUnit }>,
  dimensions: Record<string, string>,
): string {
  return JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: values.map(({ name, unit }) => ({ Name: name, Unit: unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(values.map(({ name, value }) => [name, value])),
  });
}

/** Orders the bank created (a payment page or a wallet payment under way). */
export const ORDERS_CREATED = "OrdersCreated";
/** Orders that became paid (completed, or captured in part), by `Currency`. */
export const ORDERS_PAID = "OrdersPaid";
/** What those payments took, in the currency's major units, by `Currency`. */
export const PAID_AMOUNT = "PaidAmount";
export const ORDERS_REJECTED = "OrdersRejected";
/** Refunds the bank reported done (each change of the refunded amount), by `Currency`. */
export const ORDERS_REFUNDED = "OrdersRefunded";
/** Every callback, by `Outcome` (stored, unchanged, anomaly, invalid_signature, …). */
export const CALLBACKS = "Callbacks";
/** Each call to the bank as its caller saw it (retries included), by `Operation`. */
export const BANK_LATENCY = "BankLatency";
/** Bank calls that failed (unavailable, or refused with an error status), by `Operation`. */
export const BANK_ERRORS = "BankErrors";

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
  write(emfLine(values, {}));
}

/** The sweep's counts per run: open orders it asked the bank about, and those the answer changed. */
export const RECONCILE_CHECKED = "ReconcileChecked";
export const RECONCILE_REPAIRED = "ReconcileRepaired";
/** Minutes since the oldest order still open was created (0 when none is): the alarm's metric. */
export const OPEN_ORDER_AGE_MINUTES = "OpenOrderAgeMinutes";

/**
 * Minutes since an order or card event the shop's webhook has not yet taken was first
 * queued, at each failed attempt: the OrderWebhookFailing alarm's metric.
 */
export const WEBHOOK_UNDELIVERED_MINUTES = "WebhookUndeliveredMinutes";
