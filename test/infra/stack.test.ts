import { generateKeyPairSync } from "node:crypto";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app.js";
import type { PaymentsStack } from "../../infra/payments-stack.js";

/**
 * The stack, as `npx cdk synth` builds it (functions bundled by esbuild), checked
 * property by property where safety depends on it.
 */

const CONTEXT = {
  shopOrigins: ["https://shop.example", "http://localhost:3000"],
  successUrlTemplate: "https://shop.example/paid?order={orderId}",
  failUrlTemplate: "https://shop.example/failed?order={orderId}",
  bankEnvironment: "test",
  // The test environment's callbacks are signed with a key of the bank's own (required).
  bankCallbackPublicKey: generateKeyPairSync("rsa", { modulusLength: 2048 })
    .publicKey.export({ type: "spki", format: "pem" })
    .toString(),
  alarmEmail: "ops@shop.example",
};

let stack: PaymentsStack;
let template: Template;

beforeAll(() => {
  ({ stack } = buildApp(new App({ context: CONTEXT })));
  template = Template.fromStack(stack);
}, 120_000);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** Every IAM statement attached to one function's role. */
function statementsOf(functionName: string): Statement[] {
  const fnLogicalId = stack.getLogicalId(
    stack.functions[functionName as keyof PaymentsStack["functions"]].fn.node.defaultChild as never,
  );
  const fn = template.toJSON().Resources[fnLogicalId];
  const roleRef = fn.Properties.Role["Fn::GetAtt"][0];
  const policies = Object.values(template.findResources("AWS::IAM::Policy")) as Array<{
    Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
  }>;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleRef))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

function tableRefs(statements: Statement[], action: string): string[] {
  return statements
    .filter((s) => actionsOf([s]).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
    .map((r) => JSON.stringify(r));
}

const logicalIdOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

describe("data", () => {
  it("orders: point-in-time recovery, deletion protection, retained, encrypted, on demand, the bank-order index, the merchant API's three list indexes, the open orders' index and the customers' cards index", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: "byBankOrderId",
            KeySchema: [{ AttributeName: "bankOrderId", KeyType: "HASH" }],
            Projection: { ProjectionType: "ALL" },
          }),
          ...(
            [
              ["byCreated", "listShard"],
              ["byStatus", "statusShard"],
              ["byReference", "reference"],
              ["byOpen", "openShard"],
              ["byCustomer", "cardCustomer"],
            ] as const
          ).map(([IndexName, partitionKey]) =>
            Match.objectLike({
              IndexName,
              KeySchema: [
                { AttributeName: partitionKey, KeyType: "HASH" },
                { AttributeName: "createdKey", KeyType: "RANGE" },
              ],
              Projection: { ProjectionType: "ALL" },
            }),
          ),
        ],
      }),
    });
  });

  it("the catalog is retained and protected too; the token cache has its TTL on", () => {
    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: "productId", KeyType: "HASH" }],
        DeletionProtectionEnabled: true,
      }),
    });
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it("the credentials secret holds nothing real in the template, and is encrypted with our key", () => {
    const secrets = Object.values(template.findResources("AWS::SecretsManager::Secret"));
    expect(secrets).toHaveLength(1);
    const props = (secrets[0] as { Properties: Record<string, unknown> }).Properties;
    expect(props.SecretString).toBeUndefined();
    expect(props.KmsKeyId).toEqual({ "Fn::GetAtt": [logicalIdOf(stack.key), "Arn"] });
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("no template value looks like a credential", () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/sandbox-secret|clientSecret"\s*:\s*"[^"]/);
  });
});

describe("functions", () => {
  it("all run the newest Node runtime on arm64, traced, logging JSON into their own encrypted log group", () => {
    const fns = template.findResources("AWS::Lambda::Function");
    // The five of the API and the callback, the sweep, and order-events (the table's stream).
    expect(Object.keys(fns)).toHaveLength(7);
    for (const fn of Object.values(fns) as Array<{ Properties: Record<string, unknown> }>) {
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        TracingConfig: { Mode: "Active" },
        LoggingConfig: { LogFormat: "JSON", LogGroup: { Ref: expect.any(String) } },
        MemorySize: 512,
        // The sweep runs longer: its budget is its invocation's time.
        Timeout: fn.Properties.Description?.toString().startsWith("Reconciliation") ? 120 : 15,
      });
      // No --enable-source-maps: parsing the .map at every cold start costs more than
      // it gives (docs/benchmark.md); the .map ships and maps a trace afterwards.
      const env = fn.Properties.Environment as { Variables: Record<string, unknown> };
      expect(env.Variables.NODE_OPTIONS).toBeUndefined();
    }
    template.allResourcesProperties("AWS::Logs::LogGroup", {
      RetentionInDays: 365,
      KmsKeyId: { "Fn::GetAtt": [logicalIdOf(stack.key), "Arn"] },
    });
  });

  it("create-order sends the callback function's URL and the shop's pages to the bank", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "create-order",
          CALLBACK_URL: {
            "Fn::GetAtt": [Match.stringLikeRegexp("^callbackFunctionFunctionUrl"), "FunctionUrl"],
          },
          SUCCESS_URL_TEMPLATE: "https://shop.example/paid?order={orderId}",
          FAIL_URL_TEMPLATE: "https://shop.example/failed?order={orderId}",
          BOG_ENVIRONMENT: "test",
        }),
      },
    });
  });

  it("only the bank callers know where the credentials are", () => {
    const fns = Object.values(template.findResources("AWS::Lambda::Function")) as Array<{
      Properties: { Environment: { Variables: Record<string, unknown> } };
    }>;
    const withSecret = fns
      .filter((f) => "BOG_CREDENTIALS_SECRET_ID" in f.Properties.Environment.Variables)
      .map((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME)
      .sort();
    expect(withSecret).toEqual(["callback", "create-order", "get-status", "merchant", "reconcile"]);
  });
});

describe("least privilege", () => {
  it("list-products can scan the catalog and nothing else", () => {
    const statements = statementsOf("listProducts");
    expect(actionsOf(statements).sort()).toEqual([
      "dynamodb:Scan",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]);
  });

  it("get-status cannot touch the catalog, or delete or put orders", () => {
    const statements = statementsOf("getStatus");
    const catalogRef = JSON.stringify({
      "Fn::GetAtt": [logicalIdOf(stack.node.findChild("Catalog")), "Arn"],
    });
    expect(statements.flatMap((s) => JSON.stringify(s.Resource))).not.toContain(catalogRef);
    // It writes the shared bank token, and nothing else but order updates.
    const tokenTable = JSON.stringify({
      "Fn::GetAtt": [logicalIdOf(stack.node.findChild("BankToken")), "Arn"],
    });
    expect(tableRefs(statements, "dynamodb:PutItem")).toEqual([tokenTable]);
    expect(tableRefs(statements, "dynamodb:DeleteItem")).toEqual([tokenTable]);
  });

  it("the callback may query only the bank-order index", () => {
    const refs = tableRefs(statementsOf("callback"), "dynamodb:Query");
    expect(refs).toHaveLength(1);
    expect(refs[0]).toContain("/index/byBankOrderId");
  });

  it("no wildcard actions, and no DynamoDB, secret or key action on every resource", () => {
    for (const name of ["listProducts", "createOrder", "getStatus", "callback", "merchant"]) {
      for (const statement of statementsOf(name)) {
        const actions = actionsOf([statement]);
        expect(actions.some((a) => a.endsWith(":*") || a === "*")).toBe(false);
        if (statement.Resource === "*")
          expect(actions.every((a) => a.startsWith("xray:"))).toBe(true);
      }
    }
  });

  it("only the four bank callers may read the secret", () => {
    const readers = ["listProducts", "createOrder", "getStatus", "callback", "merchant"].filter(
      (name) => actionsOf(statementsOf(name)).includes("secretsmanager:GetSecretValue"),
    );
    expect(readers).toEqual(["createOrder", "getStatus", "callback", "merchant"]);
  });
});

describe("HTTP", () => {
  it("the HTTP API allows the configured shop origins only", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: {
        AllowOrigins: ["https://shop.example", "http://localhost:3000"],
        AllowMethods: ["GET", "POST"],
        AllowHeaders: ["content-type", "idempotency-key"],
        MaxAge: 3600,
      },
    });
  });

  it("routes the four frontend calls, the API document and the nine merchant calls", () => {
    const routes = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map(
      (r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(routes.sort()).toEqual([
      "DELETE /merchant/cards/{cardId}",
      "GET /merchant/customers/{customerRef}/cards",
      "GET /merchant/orders",
      "GET /merchant/orders/{orderId}",
      "GET /openapi.json",
      "GET /orders/{orderId}",
      "GET /products",
      "POST /merchant/cards/{cardId}/charges",
      "POST /merchant/orders",
      "POST /merchant/orders/{orderId}/capture",
      "POST /merchant/orders/{orderId}/refund",
      "POST /merchant/orders/{orderId}/void",
      "POST /orders",
      "POST /orders/{orderId}/wallet-payment",
    ]);
  });

  it("throttles and logs access on the stage", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it("the callback is the one public Function URL, and needs no AWS auth (the bank signs)", () => {
    const urls = Object.values(template.findResources("AWS::Lambda::Url")) as Array<{
      Properties: Record<string, unknown>;
    }>;
    expect(urls).toHaveLength(1);
    expect(urls[0]?.Properties).toMatchObject({
      AuthType: "NONE",
      TargetFunctionArn: { "Fn::GetAtt": [logicalIdOf(stack.functions.callback.fn), "Arn"] },
    });
    expect(urls[0]?.Properties.Cors).toBeUndefined();
  });
});

describe("alarms and outputs", () => {
  it("alarm on forged callbacks, on 5xx, and on each function's errors and throttles, to an encrypted topic", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "BogPayments",
      MetricName: "InvalidCallbackSignature",
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp("^Alarms") }],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "5xx",
      Namespace: "AWS/ApiGateway",
    });
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")) as Array<{
      Properties: { MetricName: string };
    }>;
    expect(alarms.filter((a) => a.Properties.MetricName === "Errors")).toHaveLength(7);
    expect(alarms.filter((a) => a.Properties.MetricName === "Throttles")).toHaveLength(5);
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@shop.example",
    });
  });

  it("prints what the operator needs", () => {
    for (const output of [
      "ApiUrl",
      "CallbackUrl",
      "BankCredentialsSecretName",
      "OrdersTableName",
      "CatalogTableName",
      "BankTokenTableName",
      "AlarmTopicArn",
      "MerchantApiPolicyArn",
      "OrderEventBusName",
    ]) {
      template.hasOutput(output, { Value: Match.anyValue() });
    }
  });
});

describe("cdk-nag", () => {
  it("AwsSolutions, Serverless and PCI DSS 3.2.1: no finding left unacknowledged", () => {
    expect(() => stack.node.root.node.children.length).not.toThrow();
    expect(() => (stack.node.root as App).synth({ force: true })).not.toThrow();
  });

  it("a new finding stops the synth", async () => {
    const { Topic } = await import("aws-cdk-lib/aws-sns");
    const { app, stack: other } = buildApp(
      new App({ context: { ...CONTEXT, "aws:cdk:bundling-stacks": [] } }),
    );
    new Topic(other, "Unencrypted");
    expect(() => app.synth()).toThrow();
  });
});
