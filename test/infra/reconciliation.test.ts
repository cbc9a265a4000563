import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import type { PaymentsStack } from "../../infra/payments-stack.js";
import { resolve } from "./intrinsics.js";
import { synth } from "./synth-unbundled.js";

/**
 * The reconciliation sweep's resources (infra/reconciliation.ts): its schedule, its
 * function (one run at a time), exactly the grants it needs, its alarms, and the
 * index it walks.
 */

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

let stack: PaymentsStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synth());
});

const logicalIdOf = (s: PaymentsStack, construct: { node: { defaultChild?: unknown } }) =>
  s.getLogicalId(construct.node.defaultChild as never);

function sweepOf(s: PaymentsStack) {
  const sweep = s.reconciliation;
  if (!sweep) throw new Error("no reconciliation in the stack");
  return sweep;
}

function statementsOfRole(t: Template, roleLogicalId: string): Statement[] {
  const policies = Object.values(t.findResources("AWS::IAM::Policy")) as Array<{
    Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
  }>;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/** Each statement as its actions (sorted) and its resources read as text. */
function grants(statements: Statement[]) {
  return statements
    .map((s) => ({
      actions: (Array.isArray(s.Action) ? s.Action : [s.Action]).slice().sort(),
      resources: (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) =>
        JSON.stringify(resolve(r)),
      ),
    }))
    .sort((a, b) => (a.actions[0] ?? "").localeCompare(b.actions[0] ?? ""));
}

describe("the schedule", () => {
  it("invokes the sweep every 5 minutes by default, without retries, as a role only the Scheduler of this account assumes", () => {
    const sweep = sweepOf(stack);
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "rate(5 minutes)",
      State: "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: { "Fn::GetAtt": [logicalIdOf(stack, sweep.function.fn), "Arn"] },
        RoleArn: { "Fn::GetAtt": [logicalIdOf(stack, sweep.scheduleRole), "Arn"] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      },
    });
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: "scheduler.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
          }),
        ],
      },
    });
    const role = statementsOfRole(template, logicalIdOf(stack, sweep.scheduleRole));
    expect(grants(role).map((g) => g.actions)).toEqual([["lambda:InvokeFunction"]]);
  });

  it("runs as often as reconcileEveryMinutes says", () => {
    const { template: every15 } = synth({ reconcileEveryMinutes: 15 });
    every15.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "rate(15 minutes)",
    });
    const { template: everyMinute } = synth({ reconcileEveryMinutes: "1" });
    everyMinute.hasResourceProperties("AWS::Scheduler::Schedule", {
      ScheduleExpression: "rate(1 minute)",
    });
  });

  it("asks about holds as often as blockedCheckHours says (24 by default)", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "reconcile",
          RECONCILE_BLOCKED_SECONDS: "86400",
        }),
      },
    });
    synth({ blockedCheckHours: 6 }).template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "reconcile",
          RECONCILE_BLOCKED_SECONDS: "21600",
        }),
      },
    });
  });
});

describe("the function", () => {
  it("runs alone (reserved concurrency 1), for two minutes at most, not retried by Lambda", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: "reconcile" }) },
      ReservedConcurrentExecutions: 1,
      Timeout: 120,
    });
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: logicalIdOf(stack, sweepOf(stack).function.fn) },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
  });

  it("knows its tables and the bank as get-status does, and how often to ask about holds; nothing of the shop's pages", () => {
    const fn = template.toJSON().Resources[logicalIdOf(stack, sweepOf(stack).function.fn)] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual([
      "BANK_TOKEN_TABLE",
      "BOG_CREDENTIALS_SECRET_ID",
      "BOG_ENVIRONMENT",
      "CATALOG_TABLE",
      "ORDERS_TABLE",
      "POWERTOOLS_LOG_LEVEL",
      "POWERTOOLS_SERVICE_NAME",
      "RECONCILE_BLOCKED_SECONDS",
    ]);
  });

  it("with reservedConcurrency false, reserves nothing (the lookup lease still keeps two runs from asking the bank twice)", () => {
    const { stack: off, template: t } = synth({ reservedConcurrency: false });
    const fn = t.toJSON().Resources[logicalIdOf(off, sweepOf(off).function.fn)] as {
      Properties: Record<string, unknown>;
    };
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe("least privilege", () => {
  it("queries only the open-orders index, reads and updates orders, uses the bank token and reads the credentials", () => {
    const sweep = sweepOf(stack);
    const fn = template.toJSON().Resources[logicalIdOf(stack, sweep.function.fn)] as {
      Properties: { Role: { "Fn::GetAtt": [string, string] } };
    };
    const arnOf = (id: string) =>
      JSON.stringify({
        "Fn::GetAtt": [logicalIdOf(stack, stack.node.findChild(id) as never), "Arn"],
      });
    const mine = grants(statementsOfRole(template, fn.Properties.Role["Fn::GetAtt"][0]));
    const text = (value: unknown) => JSON.stringify(value);
    expect(mine.map((g) => g.actions)).toEqual([
      ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      ["dynamodb:Query"],
      ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
    ]);
    const query = mine.find((g) => g.actions.includes("dynamodb:Query"));
    expect(query?.resources).toHaveLength(1);
    expect(query?.resources[0]).toMatch(/\/index\/byOpen"/);
    const ordersGrant = mine.find(
      (g) => text(g.actions) === text(["dynamodb:GetItem", "dynamodb:UpdateItem"]),
    );
    expect(ordersGrant?.resources).toEqual([arnOf("Orders")]);
    const token = mine.find((g) => g.actions.includes("dynamodb:DeleteItem"));
    expect(token?.resources).toEqual([arnOf("BankToken")]);
  });
});

describe("alarms", () => {
  it("an order open longer than openOrderAlarmMinutes (default 1500), and the sweep's errors, to the alarm topic", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "BogPayments",
      MetricName: "OpenOrderAgeMinutes",
      Statistic: "Maximum",
      Threshold: 1500,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [{ Ref: Match.stringLikeRegexp("^Alarms") }],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Namespace: "AWS/Lambda",
      Dimensions: [
        { Name: "FunctionName", Value: { Ref: logicalIdOf(stack, sweepOf(stack).function.fn) } },
      ],
      AlarmActions: [{ Ref: Match.stringLikeRegexp("^Alarms") }],
    });
    const { template: t } = synth({ openOrderAlarmMinutes: 90 });
    t.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "OpenOrderAgeMinutes",
      Threshold: 90,
    });
  });
});

describe("the index it walks", () => {
  it("the orders table's last index: open orders by shard, oldest first", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: "byOpen",
          KeySchema: [
            { AttributeName: "openShard", KeyType: "HASH" },
            { AttributeName: "createdKey", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "ALL" },
        }),
      ]),
    });
  });
});
