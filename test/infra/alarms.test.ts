import { Match } from "aws-cdk-lib/assertions";
import { describe, it } from "vitest";
import { synth } from "./synth-unbundled.js";

/**
 * The alarms that tell the operator about abuse: callback anomalies, unsigned-callback
 * floods, the bank's 429s. Stacks here are built without bundling (the templates are
 * what matter; stack.test.ts builds the bundled one).
 */

describe("alarms on abuse", () => {
  const topicRef = { Ref: Match.stringLikeRegexp("^Alarms") };
  const countAlarm = (metricName: string, threshold: number) => ({
    Namespace: "BogPayments",
    MetricName: metricName,
    // The functions emit these counts without dimensions (lib/metrics.ts).
    Dimensions: Match.absent(),
    Statistic: "Sum",
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: threshold,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: "notBreaching",
    AlarmActions: [topicRef],
  });

  it("one signed callback that does not match its order is a security event", () => {
    synth().template.hasResourceProperties(
      "AWS::CloudWatch::Alarm",
      countAlarm("CallbackAnomaly", 1),
    );
  });

  it("a flood of unsigned callbacks: 300 in five minutes by default, or the setting", () => {
    synth().template.hasResourceProperties(
      "AWS::CloudWatch::Alarm",
      countAlarm("UnsignedCallback", 300),
    );
    synth({ unsignedCallbackAlarmThreshold: 50 }).template.hasResourceProperties(
      "AWS::CloudWatch::Alarm",
      countAlarm("UnsignedCallback", 50),
    );
  });

  it("the bank answering 429 once", () => {
    synth().template.hasResourceProperties(
      "AWS::CloudWatch::Alarm",
      countAlarm("BankThrottled", 1),
    );
  });
});
