import { Aws, CfnOutput, Duration, Fn } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import { Construct } from "constructs";
import { CURRENCIES } from "../lib/bog/vocabulary.js";
import {
  BANK_ERRORS,
  BANK_LATENCY,
  BANK_THROTTLED,
  CALLBACK_ANOMALY,
  CALLBACKS,
  INVALID_CALLBACK_SIGNATURE,
  METRICS_NAMESPACE,
  OPEN_ORDER_AGE_MINUTES,
  ORDERS_CREATED,
  ORDERS_PAID,
  ORDERS_REFUNDED,
  ORDERS_REJECTED,
  PAID_AMOUNT,
  RECONCILE_CHECKED,
  RECONCILE_REPAIRED,
  UNSIGNED_CALLBACK,
} from "../lib/metrics.js";
import type { OrderEvents } from "./order-events.js";
import type { PaymentFunction } from "./payment-function.js";

/**
 * A day of payments at a glance (CloudWatch dashboard, output DashboardUrl): orders
 * created, paid (count and amount by currency), rejected and refunded; callbacks by
 * outcome; the bank's latency and errors by operation; the functions' errors and
 * throttles. Every number is a metric the functions write as EMF (lib/metrics.ts) or
 * one AWS keeps anyway: the dashboard costs no API call at run time. Other parts of the
 * stack add their own rows to `dashboard` (the order events' delivery).
 */

export interface PaymentsDashboardProps {
  functions: Record<string, PaymentFunction>;
  api: HttpApi;
  /** The order events: their function, dead letters, and the webhook's rule and dead letters. */
  events: OrderEvents;
  /** The sweep, when the stack has it (see ordersIndexes). */
  reconcile: PaymentFunction | undefined;
}

const HOUR = Duration.hours(1);
const FIVE_MINUTES = Duration.minutes(5);

const own = (
  metricName: string,
  options: { dimensions?: Record<string, string>; statistic?: string; period?: Duration } = {},
) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: options.dimensions,
    statistic: options.statistic ?? "Sum",
    period: options.period ?? HOUR,
  });

/** Every series of a metric by one dimension, whatever its values (a search, no list to keep). */
const byDimension = (metricName: string, dimension: string, statistic: string, period: Duration) =>
  new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimension}} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`,
    label: "",
    period,
  });

export class PaymentsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PaymentsDashboardProps) {
    super(scope, id);
    const dashboardName = `${Aws.STACK_NAME}-payments`;
    this.dashboard = new Dashboard(this, "Dashboard", {
      dashboardName,
      defaultInterval: Duration.days(1),
    });
    const paid = CURRENCIES.map((currency) =>
      own(ORDERS_PAID, { dimensions: { Currency: currency }, period: Duration.days(1) }),
    );
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          "# Payments today\nOrders the bank created, paid (by currency), rejected and refunded; what was taken. docs/operations.md.",
        width: 24,
        height: 2,
      }),
      new SingleValueWidget({
        title: "Paid orders (24 h, by currency)",
        metrics: paid,
        width: 12,
        height: 4,
        setPeriodToTimeRange: true,
      }),
      new SingleValueWidget({
        title: "Amount paid (24 h, major units, by currency)",
        metrics: CURRENCIES.map((currency) =>
          own(PAID_AMOUNT, { dimensions: { Currency: currency }, period: Duration.days(1) }),
        ),
        width: 12,
        height: 4,
        setPeriodToTimeRange: true,
      }),
      new GraphWidget({
        title: "Orders per hour",
        left: [
          own(ORDERS_CREATED),
          ...CURRENCIES.map((c) => own(ORDERS_PAID, { dimensions: { Currency: c } })),
          ...CURRENCIES.map((c) => own(ORDERS_REJECTED, { dimensions: { Currency: c } })),
          ...CURRENCIES.map((c) => own(ORDERS_REFUNDED, { dimensions: { Currency: c } })),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: "Callbacks per hour, by outcome",
        left: [byDimension(CALLBACKS, "Outcome", "Sum", HOUR)],
        width: 12,
      }),
      new GraphWidget({
        title: "Bank latency (p50, p99), by operation",
        left: [byDimension(BANK_LATENCY, "Operation", "p50", FIVE_MINUTES)],
        right: [byDimension(BANK_LATENCY, "Operation", "p99", FIVE_MINUTES)],
        width: 12,
      }),
      new GraphWidget({
        title: "Bank errors and 429s",
        left: [
          byDimension(BANK_ERRORS, "Operation", "Sum", FIVE_MINUTES),
          own(BANK_THROTTLED, { period: FIVE_MINUTES }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: "Security: forged, mismatched and unsigned callbacks",
        left: [
          own(INVALID_CALLBACK_SIGNATURE, { period: FIVE_MINUTES }),
          own(CALLBACK_ANOMALY, { period: FIVE_MINUTES }),
          own(UNSIGNED_CALLBACK, { period: FIVE_MINUTES }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: "Functions: errors and throttles",
        left: Object.values(props.functions).flatMap((f): IMetric[] => [
          f.fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
          f.fn.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" }),
        ]),
        right: [
          props.api.metricServerError({ period: FIVE_MINUTES, statistic: "Sum" }),
          props.api.metricClientError({ period: FIVE_MINUTES, statistic: "Sum" }),
        ],
        width: 12,
      }),
      ...this.eventsAndSweep(props),
    );
    new CfnOutput(scope, "DashboardUrl", {
      value: Fn.join("", [
        "https://",
        Aws.REGION,
        ".console.aws.amazon.com/cloudwatch/home?region=",
        Aws.REGION,
        "#dashboards:name=",
        dashboardName,
      ]),
      description: "A day of payments at a glance",
    });
  }

  /** Events published, failing or dead-lettered; webhook deliveries; what the sweep repaired. */
  private eventsAndSweep({ events, reconcile }: PaymentsDashboardProps): GraphWidget[] {
    const fn = events.function.fn;
    const webhook = events.webhook;
    const widgets = [
      new GraphWidget({
        title: "Order events: published, failing, dead-lettered, delay",
        left: [
          fn.metricInvocations({ period: FIVE_MINUTES, statistic: "Sum" }),
          fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
          events.streamDeadLetters.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
          }),
        ],
        right: [fn.metric("IteratorAge", { period: FIVE_MINUTES, statistic: "Maximum" })],
        width: 12,
      }),
    ];
    if (webhook) {
      const sender = webhook.sender.fn;
      widgets.push(
        new GraphWidget({
          title: "Webhook: waiting, sender errors, dead-lettered; the oldest waiting (s)",
          left: [
            webhook.queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
            webhook.queue.metricApproximateNumberOfMessagesNotVisible({ period: FIVE_MINUTES }),
            sender.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
            webhook.deadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
          ],
          right: [
            webhook.queue.metricApproximateAgeOfOldestMessage({
              period: FIVE_MINUTES,
              statistic: "Maximum",
            }),
          ],
          width: 12,
        }),
      );
    }
    if (reconcile) {
      widgets.push(
        new GraphWidget({
          title: "Reconciliation: checked, repaired; the oldest open order (minutes)",
          left: [
            own(RECONCILE_CHECKED, { period: FIVE_MINUTES }),
            own(RECONCILE_REPAIRED, { period: FIVE_MINUTES }),
            reconcile.fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
          ],
          right: [own(OPEN_ORDER_AGE_MINUTES, { period: FIVE_MINUTES, statistic: "Maximum" })],
          width: 12,
        }),
      );
    }
    return widgets;
  }
}
