import { Stack } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  type Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";

/** Makes one alarm: at or above `threshold` in one period, missing data not breaching. */
export type AlarmOf = (id: string, metric: Metric, description: string, threshold?: number) => void;

/**
 * Every alarm of the stack is made the same way: named `<stack>-<id>` (the key's policy
 * lists the names, collected in `alarmNames`), created in `scope` under `id`, and
 * publishing to `topic`.
 */
export function alarmsIn(scope: Construct, topic: ITopic, alarmNames: string[]): AlarmOf {
  const { stackName } = Stack.of(scope);
  return (id, metric, description, threshold = 1) => {
    const alarmName = `${stackName}-${id}`;
    alarmNames.push(alarmName);
    new Alarm(scope, id, {
      alarmName,
      metric,
      alarmDescription: description,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(topic));
  };
}
