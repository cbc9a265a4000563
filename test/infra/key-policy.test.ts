import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ACCOUNT, DEPLOYMENT, REGION, resolve } from "./intrinsics.js";
import { synth } from "./synth-unbundled.js";

/**
 * The stack's key: only this stack's log groups, alarms and topic may use it. Stacks
 * here are built without bundling.
 */

describe("the key serves only this stack's log groups, alarms and topic", () => {
  type Statement = {
    Sid?: string;
    Principal: { Service?: string | string[]; AWS?: unknown };
    Condition?: Record<string, Record<string, unknown>>;
  };
  const keyStatements = (template: Template): Statement[] => {
    const keys = Object.values(template.findResources("AWS::KMS::Key")) as Array<{
      Properties: { KeyPolicy: { Statement: Statement[] } };
    }>;
    expect(keys).toHaveLength(1);
    return (keys[0]?.Properties.KeyPolicy.Statement ?? []).map((s) => resolve(s) as Statement);
  };
  const forService = (template: Template, service: string) =>
    keyStatements(template).filter((s) =>
      [s.Principal.Service].flat().some((p) => p === service || p?.startsWith(`${service}.`)),
    );
  const namesOf = (template: Template, type: string, property: string) =>
    Object.values(template.findResources(type)).map(
      (r) => resolve((r as { Properties: Record<string, unknown> }).Properties[property]) as string,
    );
  const sorted = (list: unknown) => [...(list as string[])].sort();

  it("every log group is named under this deployment's own prefix", () => {
    const names = namesOf(synth().template, "AWS::Logs::LogGroup", "LogGroupName");
    expect(sorted(names)).toEqual(
      [
        "api-access",
        "callback",
        "create-order",
        "get-status",
        "list-products",
        "merchant",
        "order-events",
        "reconcile",
      ].map((leaf) => `/bog-payments/BogPayments/${DEPLOYMENT}/${leaf}`),
    );
  });

  it("CloudWatch Logs may use it for exactly those log groups, on behalf of this account", () => {
    const { template } = synth();
    template.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: Match.anyValue() },
            Condition: {
              ArnLike: { "kms:EncryptionContext:aws:logs:arn": Match.anyValue() },
              StringEqualsIfExists: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
            },
          }),
        ]),
      },
    });
    const statements = forService(template, "logs");
    expect(statements).toHaveLength(1);
    const arns = statements[0]?.Condition?.ArnLike?.["kms:EncryptionContext:aws:logs:arn"];
    const logGroups = namesOf(template, "AWS::Logs::LogGroup", "LogGroupName");
    expect(sorted(arns)).toEqual(
      sorted(logGroups.map((name) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`)),
    );
    expect(JSON.stringify(arns)).not.toContain("*");
    expect(statements[0]?.Condition?.StringEqualsIfExists).toEqual({
      "aws:SourceAccount": ACCOUNT,
    });
  });

  it("CloudWatch may use it for exactly this stack's alarms, on behalf of this account", () => {
    const { template } = synth();
    const statements = forService(template, "cloudwatch.amazonaws.com");
    expect(statements).toHaveLength(1);
    const alarms = namesOf(template, "AWS::CloudWatch::Alarm", "AlarmName");
    expect(alarms.length).toBeGreaterThanOrEqual(13);
    expect(alarms.every((name) => name.startsWith("BogPayments-"))).toBe(true);
    expect(sorted(statements[0]?.Condition?.ArnLikeIfExists?.["aws:SourceArn"])).toEqual(
      sorted(alarms.map((name) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`)),
    );
    expect(statements[0]?.Condition?.StringEqualsIfExists).toEqual({
      "aws:SourceAccount": ACCOUNT,
    });
  });

  it("SNS may use it only for the alarm topic's undelivered queue, and only when there is one", () => {
    const withEmail = synth({ alarmEmail: "ops@shop.example" }).template;
    const [topicName] = namesOf(withEmail, "AWS::SNS::Topic", "TopicName");
    expect(topicName).toBe("BogPayments-Alarms");
    const statements = forService(withEmail, "sns.amazonaws.com");
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Condition).toEqual({
      ArnEqualsIfExists: { "aws:SourceArn": `arn:aws:sns:${REGION}:${ACCOUNT}:${topicName}` },
      StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT },
    });
    withEmail.hasResourceProperties("AWS::SQS::Queue", { KmsMasterKeyId: Match.anyValue() });

    expect(forService(synth().template, "sns.amazonaws.com")).toEqual([]);
  });

  it("no AWS service may use it without naming this account", () => {
    const statements = keyStatements(synth({ alarmEmail: "ops@shop.example" }).template);
    const forServices = statements.filter((s) => s.Principal.Service !== undefined);
    expect(forServices).toHaveLength(3);
    for (const statement of forServices) {
      expect(statement.Condition?.StringEqualsIfExists?.["aws:SourceAccount"]).toBe(ACCOUNT);
    }
  });
});
