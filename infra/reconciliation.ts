import { Duration, Stack } from "aws-cdk-lib";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Schedule, ScheduleExpression } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { ORDER_INDEXES } from "../lib/dynamo/tables.js";
import { METRICS_NAMESPACE, OPEN_ORDER_AGE_MINUTES } from "../lib/metrics.js";
import type { AlarmOf } from "./alarm.js";
import { PaymentFunction } from "./payment-function.js";

/**
 * The reconciliation sweep (docs/events-and-webhooks.md): the `reconcile` function, run by an
 * EventBridge Scheduler schedule every `reconcileEveryMinutes`, one run at a time
 * (reserved concurrency 1), allowed exactly what it does: read the index of open
 * orders, read and conditionally write orders, and talk to the bank as get-status
 * does (credentials secret, token table). Its alarm: an order open for longer than
 * `openOrderAlarmMinutes` (the metric OpenOrderAgeMinutes, which each run reports).
 */

export interface ReconciliationProps {
  orders: Table;
  bankToken: Table;
  credentials: ISecret;
  /** Tables, bank and merchant settings, as get-status has them. */
  environment: Record<string, string>;
  everyMinutes: number;
  /** Reserve one execution (no two runs at once); false where the account cannot reserve. */
  reserve: boolean;
  logGroupName: string;
  logRetention: RetentionDays;
  logKey: IKey;
}

/** An alarm for the stack's alarm topic: its id, metric, description and threshold. */

/** A run's longest time; a run stops starting orders well before (SWEEP_MARGIN_MS). */
const TIMEOUT = Duration.minutes(2);

export class Reconciliation extends Construct {
  readonly function: PaymentFunction;
  readonly schedule: Schedule;
  /** What the schedule invokes the function as (allowed lambda:InvokeFunction on it, no more). */
  readonly scheduleRole: Role;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);
    this.function = new PaymentFunction(this, "reconcile", {
      name: "reconcile",
      description: "Reconciliation sweep: asks the bank about stale open orders (schedule)",
      environment: props.environment,
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.logKey,
      timeout: TIMEOUT,
      reservedConcurrency: props.reserve ? 1 : undefined,
    });
    const fn = this.function.fn;
    // A run that fails or finds the previous one still running is not retried: the
    // next run, minutes later, walks the index again.
    fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });

    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: [`${props.orders.tableArn}/index/${ORDER_INDEXES.open}`],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        resources: [props.orders.tableArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["GetItem", "PutItem", "UpdateItem", "DeleteItem"].map((a) => `dynamodb:${a}`),
        resources: [props.bankToken.tableArn],
      }),
    );
    props.credentials.grantRead(fn);

    // Its own role (the target adds the invoke permission), assumable by the Scheduler
    // for this account only.
    this.scheduleRole = new Role(this, "ScheduleRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
    });
    this.schedule = new Schedule(this, "Schedule", {
      description: `Reconciliation sweep every ${props.everyMinutes} minutes`,
      schedule: ScheduleExpression.rate(Duration.minutes(props.everyMinutes)),
      target: new LambdaInvoke(fn, {
        role: this.scheduleRole,
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });
  }

  /** Its alarms: the function's errors, and an order left open past the threshold. */
  alarms(alarm: AlarmOf, openOrderAlarmMinutes: number): void {
    const period = Duration.minutes(5);
    alarm(
      "reconcileErrors",
      this.function.fn.metricErrors({ period, statistic: "Sum" }),
      "reconcile: function errors (the sweep did not finish a run)",
      1,
    );
    alarm(
      "OpenOrderAge",
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: OPEN_ORDER_AGE_MINUTES,
        period,
        statistic: "Maximum",
      }),
      `An order has been open (not final, or an operation waiting for the bank) for ${openOrderAlarmMinutes} minutes or more: the sweep cannot settle it (the bank does not answer, or a pending order is stuck); look at the oldest open orders`,
      openOrderAlarmMinutes,
    );
  }
}
