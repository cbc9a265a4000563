import { Annotations, Duration, type Stack } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { ORDER_INDEXES } from "../lib/dynamo/tables.js";
import {
  CARD_ROUTE_KEYS,
  MERCHANT_ROUTE_KEYS,
  PUBLIC_ROUTE_KEYS,
  ROUTES,
  type RouteFunction,
  type RouteKey,
} from "../lib/http/routes.js";
import type { PaymentFunction } from "./payment-function.js";
import {
  type DeploySettings,
  type FunctionName,
  indexesUpTo,
  ORDERS_INDEX_COUNT,
} from "./settings.js";

/**
 * The HTTP API: its stage (throttled, access-logged), a route per entry of
 * lib/http/routes.ts to its function (the merchant's behind IAM, each with its own
 * throttle), CORS for the shop's origins, and the managed policy that lets the shop's
 * backend call exactly the merchant routes. Made in the stack's own scope, so that
 * its resources keep the logical ids they had when the stack made them itself.
 */

export interface HttpApiProps {
  settings: DeploySettings;
  functions: Record<FunctionName, PaymentFunction>;
  accessLogGroupName: string;
  key: IKey;
}

export interface PaymentsHttpApi {
  api: HttpApi;
  publicRoutes: HttpRoute[];
  merchantRoutes: HttpRoute[];
  merchantApiPolicy: ManagedPolicy;
}

export function addHttpApi(stack: Stack, props: HttpApiProps): PaymentsHttpApi {
  const { settings } = props;
  const { listProducts, createOrder, getStatus, merchant: merchantApi } = props.functions;
  const publicRoutes: HttpRoute[] = [];
  const merchantRoutes: HttpRoute[] = [];
  const accessLogs = new LogGroup(stack, "ApiAccessLogs", {
    logGroupName: props.accessLogGroupName,
    retention: settings.logRetentionDays,
    encryptionKey: props.key,
  });
  const api = new HttpApi(stack, "Api", {
    description: "Bank of Georgia payments for the shop's frontend",
    createDefaultStage: false,
    corsPreflight: {
      allowOrigins: settings.shopOrigins,
      allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
      allowHeaders: ["content-type", "idempotency-key"],
      maxAge: Duration.hours(1),
    },
  });
  const stage = new HttpStage(stack, "Stage", {
    httpApi: api,
    stageName: "$default",
    autoDeploy: true,
    throttle: { rateLimit: settings.throttleRateLimit, burstLimit: settings.throttleBurstLimit },
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(
        JSON.stringify({
          requestId: "$context.requestId",
          ip: "$context.identity.sourceIp",
          time: "$context.requestTime",
          routeKey: "$context.routeKey",
          status: "$context.status",
          latency: "$context.responseLatency",
          error: "$context.integrationErrorMessage",
        }),
      ),
    },
  });
  // Each route with its own throttle (the stage's default applies to anything else).
  // The L2 stage has no per-route settings, so they go on its CloudFormation resource;
  // they name routes by key, which must exist before the stage: hence the dependency.
  //
  // The merchant routes need IAM (SigV4 with execute-api:Invoke): API Gateway answers
  // 403 to anything else before the function runs. They exist only with all of the
  // orders table's indexes it lists through; see ordersIndexes.
  const merchantRoutesOn = settings.ordersIndexes >= indexesUpTo(ORDER_INDEXES.reference);
  const targets: Record<RouteFunction, PaymentFunction> = {
    listProducts,
    createOrder,
    getStatus,
    merchant: merchantApi,
  };
  const integrations = new Map<PaymentFunction, HttpLambdaIntegration>();
  const integrationOf = (target: PaymentFunction) => {
    const existing = integrations.get(target);
    if (existing) return existing;
    const created = new HttpLambdaIntegration(`${target.node.id}Integration`, target.fn);
    integrations.set(target, created);
    return created;
  };
  const iam = new HttpIamAuthorizer();
  const routeSettings: Record<
    string,
    { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
  > = {};
  // The saved-card routes list a customer's cards through the last index.
  const cardRoutesOn = settings.ordersIndexes >= indexesUpTo(ORDER_INDEXES.customer);
  const routeKeys: RouteKey[] = [
    ...PUBLIC_ROUTE_KEYS,
    ...(merchantRoutesOn
      ? MERCHANT_ROUTE_KEYS.filter((key) => cardRoutesOn || !CARD_ROUTE_KEYS.includes(key))
      : []),
  ];
  for (const routeKey of routeKeys) {
    const target = targets[ROUTES[routeKey].fn];
    const [method, path] = routeKey.split(" ") as [keyof typeof HttpMethod, string];
    const isMerchant = ROUTES[routeKey].access === "merchant";
    const routes = api.addRoutes({
      path,
      methods: [HttpMethod[method]],
      integration: integrationOf(target),
      ...(isMerchant ? { authorizer: iam } : {}),
    });
    (isMerchant ? merchantRoutes : publicRoutes).push(...routes);
    stage.node.addDependency(...routes);
    const { rateLimit, burstLimit } = settings.routeThrottles[routeKey];
    routeSettings[routeKey] = {
      ThrottlingRateLimit: rateLimit,
      ThrottlingBurstLimit: burstLimit,
    };
  }
  (stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
  if (!merchantRoutesOn) {
    Annotations.of(stack).addWarningV2(
      "bog-payments:merchant-routes-left-out",
      `ordersIndexes is ${settings.ordersIndexes} of ${ORDERS_INDEX_COUNT}: the merchant API's routes (/merchant/*) are left out of the API until the orders table has the indexes they list through. Deploy again with ordersIndexes one higher, and finally without it (docs/deploy.md, "Updating a stack deployed before the merchant API")`,
    );
  }
  if (merchantRoutesOn && !cardRoutesOn) {
    Annotations.of(stack).addWarningV2(
      "bog-payments:card-routes-left-out",
      `ordersIndexes is ${settings.ordersIndexes} of ${ORDERS_INDEX_COUNT}: the saved-card routes (/merchant/customers/…/cards, /merchant/cards/…) are left out until the orders table has its customer index. Deploy again without ordersIndexes`,
    );
  }

  // Exactly the merchant routes, on this API's stage: `*` stands only for a path
  // parameter (the order id, the customer's ref, the card id).
  // Created even while the routes are left out, so that the output stays put and a
  // policy that is already attached never has to be deleted.
  const merchantApiPolicy = new ManagedPolicy(stack, "MerchantApiPolicy", {
    description: "Invoke the BoG payments merchant API (/merchant/*, AWS IAM) and nothing else",
    statements: [
      new PolicyStatement({
        actions: ["execute-api:Invoke"],
        resources: MERCHANT_ROUTE_KEYS.map((routeKey) => {
          const [method, path] = routeKey.split(" ") as [string, string];
          return api.arnForExecuteApi(method, wildcardParams(path), stage.stageName);
        }),
      }),
    ],
  });
  return { api, publicRoutes, merchantRoutes, merchantApiPolicy };
}

/** A route's path with each path parameter (`{orderId}`, `{cardId}`, …) as IAM's `*`. */
export const wildcardParams = (path: string) => path.replace(/\{[A-Za-z]+\}/g, "*");
