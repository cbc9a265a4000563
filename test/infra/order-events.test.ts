import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_MAX_RECEIVES } from "../../infra/order-events.js";
import type { PaymentsStack } from "../../infra/payments-stack.js";
import { synth } from "./synth-unbundled.js";

/**
 * The order events in the template (infra/order-events.ts): the orders table's
 * stream, the bus and its output, the event source mapping (filter, bisection,
 * bounded retries, partial batch responses, dead-letter queue), the webhook's signing
 * secret, rule, delivery queue, sender and dead-letter queue (only with
 * orderWebhookUrl; no API destination), the alarms, and each role's exact grants.
 */

const WEBHOOK = "https://shop.example/bog/events";

let plain: { stack: PaymentsStack; template: Template };
let hooked: { stack: PaymentsStack; template: Template };

beforeAll(() => {
  plain = synth();
  hooked = synth({ orderWebhookUrl: WEBHOOK, alarmEmail: "ops@shop.example" });
}, 120_000);

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

const logicalId = (stack: PaymentsStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Every statement of the inline policies attached to a role. */
function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = Object.values(template.findResources("AWS::IAM::Policy")) as Array<{
    Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
  }>;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function functionStatements({ stack, template }: typeof plain): Statement[] {
  const fn = template.toJSON().Resources[logicalId(stack, stack.orderEvents.function.fn)];
  return statementsOfRole(template, fn.Properties.Role["Fn::GetAtt"][0]);
}

describe("the stream and the bus", () => {
  it("the orders table streams new and old images", () => {
    const orders = plain.template.toJSON().Resources[
      logicalId(plain.stack, plain.stack.node.findChild("Orders") as never)
    ] as Resource;
    expect(orders.Properties.StreamSpecification).toEqual({
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
  });

  it("a bus of the stack, named by the output OrderEventBusName, which the function publishes to", () => {
    const bus = logicalId(plain.stack, plain.stack.orderEvents.bus);
    plain.template.hasOutput("OrderEventBusName", { Value: { Ref: bus } });
    plain.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "order-events",
          ORDER_EVENT_BUS_NAME: { Ref: bus },
        }),
      },
    });
  });

  it("the mapping: the orders stream, order items only, bisected, bounded, partial batch responses, dead letters to an encrypted queue", () => {
    const { stack, template } = plain;
    const mappings = Object.values(
      template.findResources("AWS::Lambda::EventSourceMapping"),
    ) as Resource[];
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toEqual({
      EventSourceArn: {
        "Fn::GetAtt": [logicalId(stack, stack.node.findChild("Orders") as never), "StreamArn"],
      },
      FunctionName: { Ref: logicalId(stack, stack.orderEvents.function.fn) },
      StartingPosition: "TRIM_HORIZON",
      BatchSize: 100,
      ParallelizationFactor: 2,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 6 * 3600,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: {
        OnFailure: { Destination: arnOf(logicalId(stack, stack.orderEvents.streamDeadLetters)) },
      },
      FilterCriteria: {
        Filters: [
          { Pattern: '{"dynamodb":{"NewImage":{"version":{"N":[{"exists":true}]}}}}' },
          { Pattern: '{"dynamodb":{"NewImage":{"pk":{"S":[{"prefix":"card#"}]}}}}' },
        ],
      },
    });
    const queue = template.toJSON().Resources[
      logicalId(stack, stack.orderEvents.streamDeadLetters)
    ] as Resource;
    expect(queue.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it("the function may publish to this bus, read this stream and send to its dead-letter queue: nothing else", () => {
    const { stack } = plain;
    const statements = functionStatements(plain);
    const byAction = new Map<string, unknown[]>();
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      for (const a of actions(s)) byAction.set(a, [...(byAction.get(a) ?? []), s.Resource]);
    }
    const stream = {
      "Fn::GetAtt": [logicalId(stack, stack.node.findChild("Orders") as never), "StreamArn"],
    };
    const dlq = arnOf(logicalId(stack, stack.orderEvents.streamDeadLetters));
    expect(Object.fromEntries(byAction)).toEqual({
      "events:PutEvents": [arnOf(logicalId(stack, stack.orderEvents.bus))],
      "dynamodb:DescribeStream": [stream],
      "dynamodb:GetRecords": [stream],
      "dynamodb:GetShardIterator": [stream],
      // DynamoDB does not scope ListStreams to a resource.
      "dynamodb:ListStreams": ["*"],
      "sqs:SendMessage": [dlq],
      "sqs:GetQueueAttributes": [dlq],
      "sqs:GetQueueUrl": [dlq],
      "xray:PutTraceSegments": ["*"],
      "xray:PutTelemetryRecords": ["*"],
    });
  });

  it("no other role may publish to the bus", () => {
    const { template } = hooked;
    const publishers = (
      Object.values(template.findResources("AWS::IAM::Policy")) as Array<{
        Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } };
      }>
    ).filter((p) =>
      p.Properties.PolicyDocument.Statement.some((s) => actions(s).includes("events:PutEvents")),
    );
    expect(publishers).toHaveLength(1);
  });
});

describe("alarms", () => {
  const alarmsOf = (template: Template) =>
    Object.values(template.findResources("AWS::CloudWatch::Alarm")) as Resource[];
  const byName = (template: Template, name: string) =>
    alarmsOf(template).find((a) => a.Properties.AlarmName === `BogPayments-${name}`);

  it("on the stream's dead letters, the function's errors and the events' lag, to the stack's alarm topic", () => {
    const { stack, template } = plain;
    expect(byName(template, "OrderEventsDeadLetters")?.Properties).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [
        {
          Name: "QueueName",
          Value: {
            "Fn::GetAtt": [logicalId(stack, stack.orderEvents.streamDeadLetters), "QueueName"],
          },
        },
      ],
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    for (const name of ["OrderEventsDeadLetters", "orderEventsErrors", "OrderEventsLag"])
      expect(JSON.stringify(byName(template, name)?.Properties.AlarmActions)).toMatch(
        /^\[\{"Fn::Join":\["",\["arn:",.*":BogPayments-Alarms"\]\]\}\]$/,
      );
    expect(byName(template, "orderEventsErrors")?.Properties).toMatchObject({
      MetricName: "Errors",
      Dimensions: [
        { Name: "FunctionName", Value: { Ref: logicalId(stack, stack.orderEvents.function.fn) } },
      ],
    });
    expect(byName(template, "OrderEventsLag")?.Properties).toMatchObject({
      MetricName: "IteratorAge",
      Statistic: "Maximum",
      Threshold: 600_000,
    });
    expect(byName(template, "OrderWebhookDeadLetters")).toBeUndefined();
  });

  it("the key lets CloudWatch publish these alarms to the encrypted topic", () => {
    const key = plain.template.toJSON().Resources[logicalId(plain.stack, plain.stack.key)] as {
      Properties: { KeyPolicy: { Statement: Array<{ Sid?: string; Condition?: unknown }> } };
    };
    const statement = key.Properties.KeyPolicy.Statement.find(
      (s) => s.Sid === "CloudWatchAlarmsOfThisStackToTheirTopic",
    );
    const text = JSON.stringify(statement?.Condition);
    for (const name of ["OrderEventsDeadLetters", "orderEventsErrors", "OrderEventsLag"])
      expect(text).toContain(`:alarm:BogPayments-${name}"`);
    const hookedKey = JSON.stringify(
      hooked.template.toJSON().Resources[logicalId(hooked.stack, hooked.stack.key)],
    );
    expect(hookedKey).toContain(':alarm:BogPayments-OrderWebhookDeadLetters"');
  });
});

describe("the webhook", () => {
  it("without orderWebhookUrl: no rule, queue of its own, sender, secret or output", () => {
    const { template } = plain;
    for (const type of [
      "AWS::Events::Connection",
      "AWS::Events::ApiDestination",
      "AWS::Events::Rule",
      "AWS::Lambda::EventSourceMapping",
    ])
      template.resourceCountIs(type, type === "AWS::Lambda::EventSourceMapping" ? 1 : 0);
    template.resourceCountIs("AWS::SecretsManager::Secret", 1);
    template.resourceCountIs("AWS::SQS::Queue", 1);
    expect(Object.keys(template.toJSON().Outputs)).not.toContain("OrderWebhookSecretName");
  });

  it("no API destination, no connection, no key header: the deliveries are ours, signed", () => {
    const { template } = hooked;
    template.resourceCountIs("AWS::Events::Connection", 0);
    template.resourceCountIs("AWS::Events::ApiDestination", 0);
    expect(JSON.stringify(template.toJSON())).not.toContain("x-bog-payments-webhook-key");
  });

  it("a signing secret generated by Secrets Manager (32 letters and digits: 24 bytes of key), encrypted with the stack's key; never in the template", () => {
    const { stack, template } = hooked;
    const webhook = stack.orderEvents.webhook;
    if (!webhook) throw new Error("no webhook");
    const secret = template.toJSON().Resources[logicalId(stack, webhook.signingSecret)] as Resource;
    expect(secret.Properties).toMatchObject({
      GenerateSecretString: {
        SecretStringTemplate: "{}",
        GenerateStringKey: "current",
        PasswordLength: 32,
        ExcludePunctuation: true,
        IncludeSpace: false,
      },
      KmsKeyId: arnOf(logicalId(stack, stack.key)),
    });
    expect(secret.Properties.SecretString).toBeUndefined();
    template.hasOutput("OrderWebhookSecretName", { Value: Match.anyValue() });
    template.hasOutput("OrderWebhookDeadLetterQueueUrl", {
      Value: { Ref: logicalId(stack, webhook.deadLetters) },
    });
  });

  it("a rule on the bus puts each event's detail on the delivery queue; SQS moves what keeps failing to the encrypted dead-letter queue", () => {
    const { stack, template } = hooked;
    const webhook = stack.orderEvents.webhook;
    if (!webhook) throw new Error("no webhook");
    const rules = Object.values(template.findResources("AWS::Events::Rule")) as Resource[];
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      EventBusName: { Ref: logicalId(stack, stack.orderEvents.bus) },
      EventPattern: {
        source: ["bog-payments"],
        "detail-type": ["Order Status Changed", "Card Saved", "Card Deleted"],
      },
      State: "ENABLED",
      Targets: [
        {
          Arn: { "Fn::GetAtt": [logicalId(stack, webhook.queue), "Arn"] },
          Id: "Target0",
          InputPath: "$.detail",
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: arnOf(logicalId(stack, webhook.deadLetters)) },
        },
      ],
    });
    const queue = template.toJSON().Resources[logicalId(stack, webhook.queue)] as Resource;
    expect(queue.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      VisibilityTimeout: 360,
      RedrivePolicy: {
        deadLetterTargetArn: arnOf(logicalId(stack, webhook.deadLetters)),
        maxReceiveCount: WEBHOOK_MAX_RECEIVES,
      },
    });
    const dead = template.toJSON().Resources[logicalId(stack, webhook.deadLetters)] as Resource;
    expect(dead.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it("the sender reads the queue in batches, reporting each failed message; knows the URL, the secret's ARN and the two queues", () => {
    const { stack, template } = hooked;
    const webhook = stack.orderEvents.webhook;
    if (!webhook) throw new Error("no webhook");
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [logicalId(stack, webhook.queue), "Arn"] },
      FunctionName: { Ref: logicalId(stack, webhook.sender.fn) },
      BatchSize: 10,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "webhook-sender",
          WEBHOOK_URL: WEBHOOK,
          WEBHOOK_SECRET_ID: { Ref: logicalId(stack, webhook.signingSecret) },
          WEBHOOK_QUEUE_URL: { Ref: logicalId(stack, webhook.queue) },
          WEBHOOK_DEAD_LETTER_QUEUE_URL: { Ref: logicalId(stack, webhook.deadLetters) },
        }),
      },
    });
  });

  it("the sender may read the secret, take from its queue and send to the dead letters; nothing else", () => {
    const { stack, template } = hooked;
    const webhook = stack.orderEvents.webhook;
    if (!webhook) throw new Error("no webhook");
    const role = template.toJSON().Resources[logicalId(stack, webhook.sender.fn)] as {
      Properties: { Role: { "Fn::GetAtt": [string, string] } };
    };
    const actions = [
      ...new Set(
        statementsOfRole(template, role.Properties.Role["Fn::GetAtt"][0]).flatMap((s) =>
          [s.Action].flat(),
        ),
      ),
    ].sort();
    // The secret's key lets Secrets Manager decrypt for it (the key's policy, kms:ViaService).
    expect(actions).toEqual(
      [
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetSecretValue",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
      ].sort(),
    );
  });

  it("only the webhook rule may put messages on the delivery queue and its dead letters, over TLS", () => {
    const { stack, template } = hooked;
    const webhook = stack.orderEvents.webhook;
    if (!webhook) throw new Error("no webhook");
    const policies = Object.values(template.findResources("AWS::SQS::QueuePolicy")) as Array<{
      Properties: {
        Queues: unknown[];
        PolicyDocument: { Statement: Array<Record<string, unknown>> };
      };
    }>;
    const ruleArn = { "Fn::GetAtt": [logicalId(stack, webhook.rule), "Arn"] };
    for (const queue of [webhook.queue, webhook.deadLetters]) {
      const policy = policies.find(
        (p) =>
          JSON.stringify(p.Properties.Queues) ===
          JSON.stringify([{ Ref: logicalId(stack, queue) }]),
      );
      const statements = policy?.Properties.PolicyDocument.Statement ?? [];
      const allows = statements.filter((s) => s.Effect === "Allow");
      // Send (and the queue's name and attributes, which grantSendMessages adds): never receive or delete.
      expect(allows).toEqual([
        expect.objectContaining({
          Action: expect.toSatisfy(
            (a: unknown) =>
              [a].flat().includes("sqs:SendMessage") &&
              [a]
                .flat()
                .every((x) =>
                  ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"].includes(
                    String(x),
                  ),
                ),
          ),
          Principal: { Service: "events.amazonaws.com" },
          Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
        }),
      ]);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    }
  });

  it("alarms on the webhook's dead letters, a failing backend, events lost on the way to its queue, and the sender's errors", () => {
    const { stack, template } = hooked;
    const webhook = stack.orderEvents.webhook;
    if (!webhook) throw new Error("no webhook");
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "BogPayments-OrderWebhookDeadLetters",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [
        {
          Name: "QueueName",
          Value: { "Fn::GetAtt": [logicalId(stack, webhook.deadLetters), "QueueName"] },
        },
      ],
      Threshold: 1,
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "BogPayments-OrderWebhookFailing",
      Namespace: "BogPayments",
      MetricName: "WebhookUndeliveredMinutes",
      Statistic: "Maximum",
      Threshold: 60,
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "BogPayments-OrderWebhookEventsLost",
      Namespace: "AWS/Events",
      MetricName: "InvocationsFailedToBeSentToDlq",
      Dimensions: Match.arrayWith([
        { Name: "EventBusName", Value: { Ref: logicalId(stack, stack.orderEvents.bus) } },
        { Name: "RuleName", Value: { Ref: logicalId(stack, webhook.rule) } },
      ]),
      Statistic: "Sum",
      Threshold: 1,
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "BogPayments-webhookSenderErrors",
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: logicalId(stack, webhook.sender.fn) } }],
    });
  });
});
