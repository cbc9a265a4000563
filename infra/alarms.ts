import { CfnOutput, Duration, type Stack } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import {
  BANK_THROTTLED,
  CALLBACK_ANOMALY,
  INVALID_CALLBACK_SIGNATURE,
  METRICS_NAMESPACE,
  UNSIGNED_CALLBACK,
} from "../lib/metrics.js";
import { alarmsIn } from "./alarm.js";
import type { PaymentFunction } from "./payment-function.js";
import type { Reconciliation } from "./reconciliation.js";
import type { DeploySettings, FunctionName } from "./settings.js";

/**
 * The stack's alarms (each function's errors and throttles, the sweep's, the API's 5xx,
 * the callback's security counts, the bank's rate limit) and the encrypted topic they
 * publish to, in the stack's own scope (the logical ids it always had). Each alarm's
 * name goes to `alarmNames`, which the key's policy lists.
 */

export interface AlarmsProps {
  settings: DeploySettings;
  key: IKey;
  functions: Record<FunctionName, PaymentFunction>;
  api: HttpApi;
  reconciliation: Reconciliation | undefined;
  alarmNames: string[];
}

/** The alarms and their topic; returns the topic's ARN, built from its name. */
export function addAlarms(
  stack: Stack,
  { settings, key, functions, api, reconciliation, alarmNames }: AlarmsProps,
): string {
  // Named, like the alarms, so that the key policy can name them (see the log groups).
  const topicName = `${stack.stackName}-Alarms`;
  const topic = new Topic(stack, "Alarms", {
    topicName,
    displayName: "BoG payments alarms",
    enforceSSL: true,
    masterKey: key,
  });
  if (settings.alarmEmail) {
    // Notifications that cannot be delivered are kept for 14 days, not lost.
    const undelivered = new Queue(stack, "UndeliveredAlarms", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    topic.addSubscription(
      new EmailSubscription(settings.alarmEmail, { deadLetterQueue: undelivered }),
    );
  }
  const alarm = alarmsIn(stack, topic, alarmNames);
  const period = Duration.minutes(5);
  for (const [name, f] of Object.entries(functions)) {
    alarm(
      `${name}Errors`,
      f.fn.metricErrors({ period, statistic: "Sum" }),
      `${name}: function errors`,
    );
    alarm(
      `${name}Throttles`,
      f.fn.metricThrottles({ period, statistic: "Sum" }),
      `${name}: throttled invocations`,
    );
  }
  reconciliation?.alarms(alarm, settings.openOrderAlarmMinutes);
  alarm("Api5xx", api.metricServerError({ period, statistic: "Sum" }), "API answered 5xx");
  // Counted by the functions (lib/metrics.ts), summed over five minutes.
  const count = (metricName: string) =>
    new Metric({ namespace: METRICS_NAMESPACE, metricName, period, statistic: "Sum" });
  alarm(
    "InvalidCallbackSignatures",
    count(INVALID_CALLBACK_SIGNATURE),
    "Callbacks with a signature that does not verify: someone is forging the bank",
  );
  alarm(
    "CallbackAnomalies",
    count(CALLBACK_ANOMALY),
    "Signed callbacks that do not match the order they name (bank order id, merchant, amounts): a security event; kept aside on the order, nothing applied",
  );
  alarm(
    "UnsignedCallbackFlood",
    count(UNSIGNED_CALLBACK),
    `${settings.unsignedCallbackAlarmThreshold} or more unsigned callbacks in 5 minutes: someone may be flooding the callback URL`,
    settings.unsignedCallbackAlarmThreshold,
  );
  alarm(
    "BankThrottled",
    count(BANK_THROTTLED),
    "The bank answered 429 (its rate limit): bank calls are slowed by retries and may fail; payments are at risk",
  );
  new CfnOutput(stack, "AlarmTopicArn", {
    value: topic.topicArn,
    description: "Subscribe to alarms here",
  });
  return stack.formatArn({ service: "sns", resource: topicName });
}
