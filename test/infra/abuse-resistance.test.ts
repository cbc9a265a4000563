import { generateKeyPairSync } from "node:crypto";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ACCOUNT, DEPLOYMENT, REGION, resolve } from "./intrinsics.js";
import { synth } from "./synth-unbundled.js";

/**
 * What bounds an abusive caller, and what tells the operator about one: each function's
 * reserved concurrency, the API's per-route throttles, the alarms on callback anomalies,
 * unsigned-callback floods and the bank's 429s, and a key that only this stack's log
 * groups, alarms and topic may use. Stacks here are built without bundling (the
 * templates are what matter; stack.test.ts builds the bundled one).
 */

const byService = (service: string) => ({
  Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) },
});

describe("reserved concurrency", () => {
  it("each function has a share sized to its job, 551 in all (the sweep runs alone): 449 of a default 1,000-execution account stay unreserved", () => {
    const { template } = synth();
    const expected = {
      "list-products": 100,
      "create-order": 200,
      "get-status": 150,
      callback: 50,
      merchant: 50,
      reconcile: 1,
    };
    for (const [service, reserved] of Object.entries(expected)) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        ...byService(service),
        ReservedConcurrentExecutions: reserved,
      });
    }
    const total = Object.values(template.findResources("AWS::Lambda::Function")).reduce(
      (sum, fn) =>
        sum +
        // order-events reserves none: its stream's shards (two batches each) bound it.
        ((fn as { Properties: { ReservedConcurrentExecutions?: number } }).Properties
          .ReservedConcurrentExecutions ?? 0),
      0,
    );
    // AWS refuses a reservation that leaves fewer than 100 unreserved.
    expect(total).toBe(551);
    expect(1000 - total).toBeGreaterThanOrEqual(100);
  });

  it("one function can be resized; the others keep their share", () => {
    const { template } = synth({ reservedConcurrency: { createOrder: 300 } });
    template.hasResourceProperties("AWS::Lambda::Function", {
      ...byService("create-order"),
      ReservedConcurrentExecutions: 300,
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      ...byService("callback"),
      ReservedConcurrentExecutions: 50,
    });
  });

  it("false reserves nothing, for accounts whose limit is too small to reserve from", () => {
    for (const off of [false, "false"]) {
      const { template } = synth({ reservedConcurrency: off });
      template.resourceCountIs("AWS::Lambda::Function", 7);
      template.allResourcesProperties("AWS::Lambda::Function", {
        ReservedConcurrentExecutions: Match.absent(),
      });
    }
  });
});

describe("per-route throttles", () => {
  const stageOf = (template: Template) => {
    const stages = Object.values(template.findResources("AWS::ApiGatewayV2::Stage")) as Array<{
      DependsOn?: string[];
      Properties: { RouteSettings?: Record<string, unknown> };
    }>;
    expect(stages).toHaveLength(1);
    return stages[0] as (typeof stages)[number];
  };

  it("every route has its own throttle, beside the stage's default", () => {
    const { template } = synth();
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      RouteSettings: {
        "GET /products": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        "POST /orders": { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
        "GET /orders/{orderId}": { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        "POST /orders/{orderId}/wallet-payment": {
          ThrottlingRateLimit: 25,
          ThrottlingBurstLimit: 50,
        },
        "GET /openapi.json": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        "POST /merchant/orders": { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
        "GET /merchant/orders": { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
        "GET /merchant/orders/{orderId}": { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
        "POST /merchant/orders/{orderId}/refund": {
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        },
        "POST /merchant/orders/{orderId}/capture": {
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        },
        "POST /merchant/orders/{orderId}/void": {
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        },
      },
    });
    // Exactly the API's routes: a route without a throttle would fall back to the
    // default, and a throttle for a route that does not exist fails the deployment.
    const routeKeys = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map(
      (r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(Object.keys(stageOf(template).Properties.RouteSettings ?? {}).sort()).toEqual(
      routeKeys.sort(),
    );
  });

  it("the stage is created after the routes its settings name", () => {
    const { template } = synth();
    const routes = Object.keys(template.findResources("AWS::ApiGatewayV2::Route"));
    expect(routes).toHaveLength(14);
    expect(stageOf(template).DependsOn).toEqual(expect.arrayContaining(routes));
  });

  it("a setting changes one route's rate or burst and keeps the rest", () => {
    const { template } = synth({
      routeThrottles: { "POST /orders": { rateLimit: 5 }, "GET /products": { burstLimit: 20 } },
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      RouteSettings: {
        "GET /products": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 20 },
        "POST /orders": { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 50 },
        "GET /orders/{orderId}": { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      },
    });
  });
});

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

describe("the settings a callback is judged by, and the capture mode, reach their functions", () => {
  type Fn = { Properties: { Environment: { Variables: Record<string, unknown> } } };
  const variables = (template: Template) =>
    Object.fromEntries(
      (Object.values(template.findResources("AWS::Lambda::Function")) as Fn[]).map((f) => [
        f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
        f.Properties.Environment.Variables,
      ]),
    ) as Record<string, Record<string, unknown>>;
  const holding = (template: Template, variable: string) =>
    Object.entries(variables(template))
      .filter(([, vars]) => variable in vars)
      .map(([service]) => service)
      .sort();
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .publicKey.export({ type: "spki", format: "pem" })
    .toString()
    .trim();

  it("by default: automatic capture for create-order and the merchant API; the bank's published key and no merchant id anywhere", () => {
    const { template } = synth();
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "create-order",
          CAPTURE_MODE: "automatic",
        }),
      },
    });
    expect(holding(template, "CAPTURE_MODE")).toEqual(["create-order", "merchant"]);
    expect(holding(template, "BOG_MERCHANT_ID")).toEqual([]);
    expect(holding(template, "BOG_CALLBACK_PUBLIC_KEY")).toEqual([]);
  });

  it("as set: the capture mode for create-order and the merchant API, the merchant id for every function that reads the bank's payment details, the key for the callback only", () => {
    const { template } = synth({
      bankEnvironment: "test",
      captureMode: "manual",
      bankMerchantId: "39155",
      bankCallbackPublicKey: key,
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "create-order",
          CAPTURE_MODE: "manual",
        }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "callback",
          BOG_MERCHANT_ID: "39155",
          BOG_CALLBACK_PUBLIC_KEY: key,
        }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "get-status",
          BOG_MERCHANT_ID: "39155",
        }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "merchant",
          CAPTURE_MODE: "manual",
          BOG_MERCHANT_ID: "39155",
        }),
      },
    });
    expect(holding(template, "CAPTURE_MODE")).toEqual(["create-order", "merchant"]);
    // create-order reads them after a wallet payment the bank answered as done.
    expect(holding(template, "BOG_MERCHANT_ID")).toEqual([
      "callback",
      "create-order",
      "get-status",
      "merchant",
      "reconcile",
    ]);
    expect(holding(template, "BOG_CALLBACK_PUBLIC_KEY")).toEqual(["callback"]);
  });

  it("the shop's campaign and POS account reach create-order only, and only when set", () => {
    expect(holding(synth().template, "BOG_CAMPAIGN")).toEqual([]);
    const { template } = synth({ bankCampaign: "visa:client_discount", bankAccountTag: "pos-2" });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "create-order",
          BOG_CAMPAIGN: "visa:client_discount",
          BOG_ACCOUNT_TAG: "pos-2",
        }),
      },
    });
    expect(holding(template, "BOG_CAMPAIGN")).toEqual(["create-order"]);
    expect(holding(template, "BOG_ACCOUNT_TAG")).toEqual(["create-order"]);
  });

  it.each([
    ["bankCampaign", "amex:restrict"],
    ["bankCampaign", "visa"],
    ["bankAccountTag", "t".repeat(65)],
  ])("%s %s stops the synth, naming it", (name, value) => {
    expect(() => synth({ [name]: value })).toThrow(name);
  });
});
