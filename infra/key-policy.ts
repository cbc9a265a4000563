import { ArnFormat, type Stack } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";

/** Who the stack's key serves: its log groups and alarms by name, and the alarm topic. */
export interface KeyUsers {
  logGroupNames: readonly string[];
  alarmNames: readonly string[];
  topicArn: string;
  /** Whether the topic has an encrypted queue for undelivered e-mails. */
  undeliveredQueue: boolean;
}

/**
 * The key policy's statements for AWS services, each confined to this account and
 * to this stack's own resources: CloudWatch Logs to the stack's log groups (by the
 * encryption context it sends), CloudWatch to the stack's alarms publishing to the
 * encrypted topic, and SNS to that topic moving undelivered e-mails to the encrypted
 * queue (only when there is one).
 */
export function allowServicesToUseKey(
  stack: Stack,
  key: IKey,
  { logGroupNames, alarmNames, topicArn, undeliveredQueue }: KeyUsers,
): void {
  // "IfExists": whether each service sends these keys to KMS could not be checked
  // without a deploy, and a condition on a key that is never sent would deny the
  // service and fail the deploy. The resource conditions (log-group ARNs in the
  // encryption context, alarm and topic ARNs) name this account's resources anyway.
  const fromThisAccount = { StringEqualsIfExists: { "aws:SourceAccount": stack.account } };
  const arn = (service: string, resource: string, resourceName: string) =>
    stack.formatArn({ service, resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "CloudWatchLogsForThisStacksLogGroups",
      principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ],
      resources: ["*"],
      conditions: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": logGroupNames.map((name) =>
            arn("logs", "log-group", name),
          ),
        },
        ...fromThisAccount,
      },
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "CloudWatchAlarmsOfThisStackToTheirTopic",
      principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: {
        ArnLikeIfExists: {
          "aws:SourceArn": alarmNames.map((name) => arn("cloudwatch", "alarm", name)),
        },
        ...fromThisAccount,
      },
    }),
  );
  if (undeliveredQueue) {
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: "SnsAlarmTopicToItsUndeliveredQueue",
        principals: [new ServicePrincipal("sns.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { ArnEqualsIfExists: { "aws:SourceArn": topicArn }, ...fromThisAccount },
      }),
    );
  }
}
