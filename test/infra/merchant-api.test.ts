import { generateKeyPairSync } from "node:crypto";
import { App, type CfnElement } from "aws-cdk-lib";
import { Annotations, Match, type Template } from "aws-cdk-lib/assertions";
import { HttpMethod } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app.js";
import type { PaymentsStack } from "../../infra/payments-stack.js";
import { ACCOUNT, REGION, resolve } from "./intrinsics.js";
import { BASE, synth } from "./synth-unbundled.js";

/**
 * The merchant API's infrastructure (docs/merchant-api.md): six routes behind AWS IAM on the
 * one HTTP API, a managed policy that allows exactly them, the merchant function's
 * least-privilege role and reserved concurrency, and the ordersIndexes setting that
 * lets a stack deployed before the merchant API gain the orders table's indexes one
 * deploy at a time. Built without bundling: the templates are what matter here.
 *
 * A request without IAM credentials (unsigned, or signed by a principal without
 * execute-api:Invoke on the route) is refused by API Gateway itself with 403 before
 * the function runs: that is what a route's AWS_IAM authorization does, so what is
 * asserted here is the authorization type of every route, not a request.
 */

const MERCHANT_ROUTES = [
  "POST /merchant/orders",
  "GET /merchant/orders",
  "GET /merchant/orders/{orderId}",
  "POST /merchant/orders/{orderId}/refund",
  "POST /merchant/orders/{orderId}/capture",
  "POST /merchant/orders/{orderId}/void",
  "GET /merchant/customers/{customerRef}/cards",
  "POST /merchant/cards/{cardId}/charges",
  "DELETE /merchant/cards/{cardId}",
];
/** The saved-card routes (docs/saved-cards.md): they need the last index, the customer's. */
const CARD_ROUTES = MERCHANT_ROUTES.slice(6);
const PUBLIC_ROUTES = [
  "GET /products",
  "POST /orders",
  "GET /orders/{orderId}",
  "POST /orders/{orderId}/wallet-payment",
  "GET /openapi.json",
];

type Route = {
  RouteKey: string;
  AuthorizationType?: string;
  AuthorizerId?: unknown;
  Target: unknown;
};
const routesOf = (template: Template): Route[] =>
  Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map(
    (r) => (r as { Properties: Route }).Properties,
  );
const indexesOf = (template: Template): string[] => {
  const orders = Object.values(template.findResources("AWS::DynamoDB::Table")).find((t) =>
    JSON.stringify(t).includes('"AttributeName":"bankOrderId"'),
  ) as { Properties: { GlobalSecondaryIndexes: Array<{ IndexName: string }> } };
  return orders.Properties.GlobalSecondaryIndexes.map((index) => index.IndexName);
};
const logicalId = (stack: PaymentsStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** A template value as text: `Fn::GetAtt` as `<LogicalId.Attribute>`, then intrinsics.ts. */
function text(value: unknown): unknown {
  const getAtts = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(getAtts);
    if (typeof v !== "object" || v === null) return v;
    const entries = Object.entries(v);
    const [first] = entries;
    if (entries.length === 1 && first && first[0] === "Fn::GetAtt") {
      const [id, attribute] = first[1] as [string, string];
      return `<${id}.${attribute}>`;
    }
    return Object.fromEntries(entries.map(([key, inner]) => [key, getAtts(inner)]));
  };
  return resolve(getAtts(value));
}

describe("routes", () => {
  let stack: PaymentsStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth());
  }, 60_000);

  it("every merchant route needs AWS IAM (unsigned requests get API Gateway's 403)", () => {
    const all = routesOf(template).filter((r) => MERCHANT_ROUTES.includes(r.RouteKey));
    expect(all.map((r) => r.RouteKey).sort()).toEqual([...MERCHANT_ROUTES].sort());
    for (const route of all) {
      expect(route.AuthorizationType, route.RouteKey).toBe("AWS_IAM");
      // IAM authorization needs no authorizer resource.
      expect(route.AuthorizerId, route.RouteKey).toBeUndefined();
    }
    template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 0);
  });

  it("every public route has no authorization, and there is no route beside the thirteen", () => {
    const routes = routesOf(template);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(
      [...PUBLIC_ROUTES, ...MERCHANT_ROUTES].sort(),
    );
    for (const route of routes.filter((r) => PUBLIC_ROUTES.includes(r.RouteKey))) {
      expect(route.AuthorizationType, route.RouteKey).toBe("NONE");
      expect(route.AuthorizerId, route.RouteKey).toBeUndefined();
    }
  });

  it("all merchant routes go to the merchant function, through one integration", () => {
    const merchantArn = `<${logicalId(stack, stack.functions.merchant.fn)}.Arn>`;
    const integrations = template.findResources("AWS::ApiGatewayV2::Integration");
    const targets = new Set(
      routesOf(template)
        .filter((r) => MERCHANT_ROUTES.includes(r.RouteKey))
        .map((r) => text(r.Target) as string),
    );
    expect(targets.size).toBe(1);
    const [target] = [...targets];
    const integrationId = /^integrations\/<Ref (.+)>$/.exec(target ?? "")?.[1] ?? "";
    const integration = integrations[integrationId] as {
      Properties: { IntegrationType: string; IntegrationUri: unknown };
    };
    expect(integration.Properties.IntegrationType).toBe("AWS_PROXY");
    expect(text(integration.Properties.IntegrationUri)).toBe(merchantArn);
  });

  it("each merchant route has its own throttle", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      RouteSettings: Object.fromEntries(
        MERCHANT_ROUTES.map((route) => [
          route,
          { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
        ]),
      ),
    });
    synth({
      routeThrottles: { "POST /merchant/orders/{orderId}/refund": { rateLimit: 2, burstLimit: 3 } },
    }).template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      RouteSettings: {
        "POST /merchant/orders/{orderId}/refund": {
          ThrottlingRateLimit: 2,
          ThrottlingBurstLimit: 3,
        },
      },
    });
  });

  it("CORS stays the frontend's: no SigV4 header is allowed to a browser", () => {
    const apis = Object.values(template.findResources("AWS::ApiGatewayV2::Api")) as Array<{
      Properties: { CorsConfiguration: { AllowHeaders: string[]; AllowMethods: string[] } };
    }>;
    expect(apis).toHaveLength(1);
    const cors = apis[0]?.Properties.CorsConfiguration;
    expect(cors?.AllowHeaders).toEqual(["content-type", "idempotency-key"]);
    expect(cors?.AllowMethods).toEqual(["GET", "POST"]);
  });

  it("a route without authorization other than the three public ones stops the synth", () => {
    const { app, stack: other } = buildApp(new App({ context: BASE }));
    other.api.addRoutes({
      path: "/merchant/orders/{orderId}/extra",
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration("Unprotected", other.functions.merchant.fn),
    });
    expect(() => app.synth()).toThrow(/AwsSolutions-APIG4|does not implement authorization/);
  }, 60_000);
});

describe("the managed policy MerchantApiPolicyArn", () => {
  let stack: PaymentsStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth());
  }, 60_000);

  type Statement = { Effect: string; Action: unknown; Resource: unknown; Condition?: unknown };
  const policies = () =>
    Object.entries(template.findResources("AWS::IAM::ManagedPolicy")) as Array<
      [
        string,
        { Properties: Record<string, unknown> & { PolicyDocument: { Statement: Statement[] } } },
      ]
    >;

  it("allows execute-api:Invoke on exactly the merchant routes of this API's stage, and nothing else", () => {
    expect(policies()).toHaveLength(1);
    const [, policy] = policies()[0] ?? [];
    const statements = policy?.Properties.PolicyDocument.Statement ?? [];
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement?.Effect).toBe("Allow");
    expect(statement?.Action).toBe("execute-api:Invoke");
    expect(statement?.Condition).toBeUndefined();
    const api = logicalId(stack, stack.api);
    const arn = (route: string) => {
      const [method, path] = route.split(" ") as [string, string];
      return `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/${method}${path.replace(/\{[A-Za-z]+\}/, "*")}`;
    };
    expect(text(statement?.Resource)).toEqual(MERCHANT_ROUTES.map(arn));
    expect(text(statement?.Resource)).toEqual([
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/POST/merchant/orders`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/GET/merchant/orders`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/GET/merchant/orders/*`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/POST/merchant/orders/*/refund`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/POST/merchant/orders/*/capture`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/POST/merchant/orders/*/void`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/GET/merchant/customers/*/cards`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/POST/merchant/cards/*/charges`,
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:<Ref ${api}>/$default/DELETE/merchant/cards/*`,
    ]);
  });

  it("is attached to nobody by the stack: access is the operator's decision", () => {
    const [, policy] = policies()[0] ?? [];
    expect(policy?.Properties.Roles).toBeUndefined();
    expect(policy?.Properties.Users).toBeUndefined();
    expect(policy?.Properties.Groups).toBeUndefined();
  });

  it("is an output", () => {
    const [policyId] = policies()[0] ?? [];
    template.hasOutput("MerchantApiPolicyArn", { Value: { Ref: policyId } });
  });

  it("no other policy of the stack allows execute-api", () => {
    const others = Object.values(template.findResources("AWS::IAM::Policy"));
    expect(JSON.stringify(others)).not.toContain("execute-api");
  });
});

describe("the merchant function", () => {
  let stack: PaymentsStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synth());
  }, 60_000);

  type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
  const statements = (): Statement[] => {
    const fn = template.toJSON().Resources[logicalId(stack, stack.functions.merchant.fn)];
    const roleRef = fn.Properties.Role["Fn::GetAtt"][0];
    const policies = Object.values(template.findResources("AWS::IAM::Policy")) as Array<{
      Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
    }>;
    return policies
      .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleRef))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
  };
  /** Each allowed action with each resource it is allowed on, as text. */
  const grants = (prefix: string) =>
    statements()
      .flatMap((s) =>
        [s.Action]
          .flat()
          .flatMap((action) =>
            [text(s.Resource)].flat().map((resource) => `${action} ${resource}`),
          ),
      )
      .filter((grant) => grant.startsWith(prefix))
      .sort();

  it("DynamoDB: exactly these actions on exactly these tables and indexes", () => {
    const orders = `<${logicalId(stack, stack.node.findChild("Orders"))}.Arn>`;
    const token = `<${logicalId(stack, stack.node.findChild("BankToken"))}.Arn>`;
    expect(grants("dynamodb:")).toEqual(
      [
        `dynamodb:GetItem ${orders}`,
        `dynamodb:PutItem ${orders}`,
        `dynamodb:UpdateItem ${orders}`,
        `dynamodb:Query ${orders}/index/byCreated`,
        `dynamodb:Query ${orders}/index/byStatus`,
        `dynamodb:Query ${orders}/index/byReference`,
        // A customer's saved cards (GET /merchant/customers/{customerRef}/cards).
        `dynamodb:Query ${orders}/index/byCustomer`,
        `dynamodb:GetItem ${token}`,
        `dynamodb:PutItem ${token}`,
        `dynamodb:UpdateItem ${token}`,
        `dynamodb:DeleteItem ${token}`,
      ].sort(),
    );
  });

  it("nothing else but reading the credentials secret and X-Ray", () => {
    const secret = `<Ref ${logicalId(stack, stack.credentials)}>`;
    expect(grants("secretsmanager:")).toEqual([
      `secretsmanager:DescribeSecret ${secret}`,
      `secretsmanager:GetSecretValue ${secret}`,
    ]);
    const actions = statements().flatMap((s) => [s.Action].flat());
    expect(
      actions.filter((a) => !/^(dynamodb|secretsmanager):/.test(a) && !a.startsWith("xray:")),
    ).toEqual([]);
    for (const s of statements()) {
      if (s.Resource === "*")
        expect([s.Action].flat().every((a) => a.startsWith("xray:"))).toBe(true);
    }
    // The secret's key decrypts for it only through Secrets Manager, as for the other bank callers.
    const role = logicalId(stack, stack.functions.merchant.fn.role as never);
    template.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: "kms:Decrypt",
            Principal: { AWS: { "Fn::GetAtt": [role, "Arn"] } },
            Condition: { StringEquals: { "kms:ViaService": Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it("has the bank settings and the tables of create-order; the capture mode and merchant id as set", () => {
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .publicKey.export({ type: "spki", format: "pem" })
      .toString();
    const { template: configured } = synth({
      bankEnvironment: "test",
      bankCallbackPublicKey: key,
      captureMode: "manual",
      bankMerchantId: "39155",
      successUrlTemplate: "https://shop.example/paid?order={orderId}",
      failUrlTemplate: "https://shop.example/failed?order={orderId}",
    });
    const fns = Object.values(configured.findResources("AWS::Lambda::Function")) as Array<{
      Properties: { Environment: { Variables: Record<string, unknown> } };
    }>;
    const vars = (service: string) =>
      fns.find((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service)
        ?.Properties.Environment.Variables ?? {};
    const merchant = vars("merchant");
    const createOrder = vars("create-order");
    for (const name of [
      "ORDERS_TABLE",
      "CATALOG_TABLE",
      "BANK_TOKEN_TABLE",
      "BOG_ENVIRONMENT",
      "BOG_CREDENTIALS_SECRET_ID",
      "CALLBACK_URL",
      "SUCCESS_URL_TEMPLATE",
      "FAIL_URL_TEMPLATE",
      "CAPTURE_MODE",
    ]) {
      expect(merchant[name], name).toEqual(createOrder[name]);
      expect(merchant[name], name).toBeDefined();
    }
    expect(merchant).toMatchObject({
      BOG_ENVIRONMENT: "test",
      CAPTURE_MODE: "manual",
      BOG_MERCHANT_ID: "39155",
      SUCCESS_URL_TEMPLATE: "https://shop.example/paid?order={orderId}",
      FAIL_URL_TEMPLATE: "https://shop.example/failed?order={orderId}",
    });
    expect(text(merchant.CALLBACK_URL)).toMatch(/^<callbackFunctionFunctionUrl.+\.FunctionUrl>$/);
    // The callback's key is the callback's business only.
    expect(merchant.BOG_CALLBACK_PUBLIC_KEY).toBeUndefined();
    // Unset: no merchant id, no pages.
    const defaults = template.toJSON().Resources[logicalId(stack, stack.functions.merchant.fn)]
      .Properties.Environment.Variables as Record<string, unknown>;
    expect(defaults.BOG_MERCHANT_ID).toBeUndefined();
    expect(defaults.SUCCESS_URL_TEMPLATE).toBeUndefined();
    expect(defaults.FAIL_URL_TEMPLATE).toBeUndefined();
    expect(defaults.CAPTURE_MODE).toBe("automatic");
  });

  it("reserves 50 by default, or as set, within an account of 1,000 with at least 100 unreserved", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: "merchant" }) },
      ReservedConcurrentExecutions: 50,
    });
    const total = Object.values(template.findResources("AWS::Lambda::Function")).reduce(
      (sum, fn) =>
        sum +
        // order-events reserves none: its stream's shards bound it.
        ((fn as { Properties: { ReservedConcurrentExecutions?: number } }).Properties
          .ReservedConcurrentExecutions ?? 0),
      0,
    );
    expect(1000 - total).toBeGreaterThanOrEqual(100);
    synth({ reservedConcurrency: { merchant: 20 } }).template.hasResourceProperties(
      "AWS::Lambda::Function",
      {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: "merchant" }) },
        ReservedConcurrentExecutions: 20,
      },
    );
  });

  it("has its own encrypted log group and its error and throttle alarms", () => {
    template.hasResourceProperties("AWS::Logs::LogGroup", {
      LogGroupName: Match.objectLike({
        "Fn::Join": Match.arrayWith([Match.arrayWith(["/merchant"])]),
      }),
      KmsKeyId: Match.anyValue(),
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Dimensions: [
        { Name: "FunctionName", Value: { Ref: logicalId(stack, stack.functions.merchant.fn) } },
      ],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Throttles",
      Dimensions: [
        { Name: "FunctionName", Value: { Ref: logicalId(stack, stack.functions.merchant.fn) } },
      ],
    });
  });
});

describe("ordersIndexes: a stack deployed before the merchant API gains one index per deploy", () => {
  it("by default the orders table has all six indexes and the API all fourteen routes", () => {
    const { template } = synth();
    expect(indexesOf(template)).toEqual([
      "byBankOrderId",
      "byCreated",
      "byStatus",
      "byReference",
      "byOpen",
      "byCustomer",
    ]);
    expect(routesOf(template)).toHaveLength(14);
  });

  it.each([
    [1, ["byBankOrderId"]],
    [2, ["byBankOrderId", "byCreated"]],
    [3, ["byBankOrderId", "byCreated", "byStatus"]],
  ])("%i: only the first indexes, no merchant route, and a warning at synth", (count, indexes) => {
    const { stack, template } = synth({ ordersIndexes: count });
    expect(indexesOf(template)).toEqual(indexes);
    const routes = routesOf(template).map((r) => r.RouteKey);
    expect(routes.sort()).toEqual([...PUBLIC_ROUTES].sort());
    // A throttle for a route that does not exist would fail the deploy.
    const stage = Object.values(template.findResources("AWS::ApiGatewayV2::Stage"))[0] as {
      Properties: { RouteSettings: Record<string, unknown> };
    };
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual([...PUBLIC_ROUTES].sort());
    Annotations.fromStack(stack).hasWarning(
      "/BogPayments",
      Match.stringLikeRegexp(`ordersIndexes is ${count} of 6: the merchant API's routes`),
    );
    // The function, its role and the policy stay, so that nothing is replaced or deleted
    // on the way up; only the routes wait for the indexes.
    // The sweep waits for its index (the last); order-events reads the table's stream.
    template.resourceCountIs("AWS::Lambda::Function", 6);
    template.resourceCountIs("AWS::IAM::ManagedPolicy", 1);
    template.hasOutput("MerchantApiPolicyArn", { Value: Match.anyValue() });
  });

  it("four: the merchant routes, but not yet the sweep, which warns", () => {
    const { stack, template } = synth({ ordersIndexes: 4 });
    expect(routesOf(template)).toHaveLength(11);
    template.resourceCountIs("AWS::Scheduler::Schedule", 0);
    template.resourceCountIs("AWS::Lambda::Function", 6);
    Annotations.fromStack(stack).hasWarning(
      "/BogPayments",
      Match.stringLikeRegexp("ordersIndexes is 4 of 6: the reconciliation sweep is left out"),
    );
    Annotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp("merchant API's routes"));
  });

  it("five: the sweep, but not yet the saved-card routes, which warn", () => {
    const { stack, template } = synth({ ordersIndexes: 5 });
    const routes = routesOf(template).map((r) => r.RouteKey);
    expect(routes).toHaveLength(11);
    for (const card of CARD_ROUTES) expect(routes).not.toContain(card);
    template.resourceCountIs("AWS::Scheduler::Schedule", 1);
    Annotations.fromStack(stack).hasWarning(
      "/BogPayments",
      Match.stringLikeRegexp("ordersIndexes is 5 of 6: the saved-card routes"),
    );
  });

  it("all indexes: no warning", () => {
    const { stack } = synth({ ordersIndexes: 6 });
    Annotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp("ordersIndexes"));
  });

  it("each step adds exactly one index to the one before, as CloudFormation requires", () => {
    const steps = [1, 2, 3, 4, 5, 6].map((count) =>
      indexesOf(synth({ ordersIndexes: count }).template),
    );
    for (let step = 1; step < steps.length; step++) {
      const before = steps[step - 1] ?? [];
      const after = steps[step] ?? [];
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after.length - before.length).toBe(1);
    }
  });
});
