import {
  Annotations,
  ArnFormat,
  CfnOutput,
  Duration,
  Fn,
  Stack,
  type StackProps,
} from "aws-cdk-lib";
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
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { ManagedPolicy, PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { FunctionUrlAuthType, type IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import {
  BANK_TOKEN_TABLE,
  CATALOG_TABLE,
  ORDER_INDEXES,
  ORDERS_TABLE,
} from "../lib/dynamo/tables.js";
import {
  CARD_ROUTE_KEYS,
  MERCHANT_ROUTE_KEYS,
  PUBLIC_ROUTE_KEYS,
  ROUTES,
  type RouteFunction,
  type RouteKey,
} from "../lib/http/routes.js";
import {
  BANK_THROTTLED,
  CALLBACK_ANOMALY,
  INVALID_CALLBACK_SIGNATURE,
  METRICS_NAMESPACE,
  UNSIGNED_CALLBACK,
} from "../lib/metrics.js";
import { PaymentsDashboard } from "./dashboard.js";
import { OrderEvents } from "./order-events.js";
import { PaymentFunction } from "./payment-function.js";
import { Reconciliation } from "./reconciliation.js";
import {
  type DeploySettings,
  type FunctionName,
  indexesUpTo,
  ORDERS_INDEX_COUNT,
} from "./settings.js";
import { tableFrom } from "./tables.js";

export interface PaymentsStackProps extends StackProps {
  settings: DeploySettings;
}

/** DynamoDB actions, only these, on only this table (or only the named indexes). */
function allow(fn: IFunction, table: Table, actions: string[], indexes: string[] = []): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: actions.map((action) => `dynamodb:${action}`),
      resources:
        indexes.length > 0
          ? indexes.map((index) => `${table.tableArn}/index/${index}`)
          : [table.tableArn],
    }),
  );
}

export class PaymentsStack extends Stack {
  readonly api: HttpApi;
  readonly key: Key;
  readonly credentials: Secret;
  readonly functions: Record<FunctionName, PaymentFunction>;
  /** The frontend's routes (no authorization) and the merchant API's (AWS IAM), by key. */
  readonly publicRoutes: HttpRoute[] = [];
  readonly merchantRoutes: HttpRoute[] = [];
  /** Allows execute-api:Invoke on exactly the merchant routes (output MerchantApiPolicyArn). */
  readonly merchantApiPolicy: ManagedPolicy;
  /** The reconciliation sweep; left out until the orders table has its open-orders index. */
  readonly reconciliation: Reconciliation | undefined;
  /** The orders table's stream → events on the bus (and the shop's webhook): infra/order-events.ts. */
  readonly orderEvents: OrderEvents;
  /** Every log group of the stack is named under it: /bog-payments/<stack>/<deployment>. */
  readonly logGroupPrefix: string;
  private readonly logGroupNames: string[] = [];
  private readonly alarmNames: string[] = [];

  constructor(scope: Construct, id: string, props: PaymentsStackProps) {
    super(scope, id, props);
    const { settings } = props;

    // One customer-managed key, rotated yearly, for what the tables' AWS-managed
    // encryption does not cover: the credentials secret, the logs and the alarm topic.
    // The services that use it may do so only for this stack's own log groups, alarms
    // and topic (statements added by allowServicesToUseKey once those exist).
    this.key = new Key(this, "Key", {
      description: "BoG payments: bank credentials secret, logs, alarm topic",
      enableKeyRotation: true,
    });
    // This deployment's own id, the first block of the stack id's UUID, names the log
    // groups: they are kept when the stack is destroyed, and a later deployment under
    // the same stack name must not collide with them. (An explicit name, not a
    // generated one, is what lets the key policy list the ARNs: referring to the
    // resources themselves would be a cycle, since they refer to the key.)
    const deployment = Fn.select(0, Fn.split("-", Fn.select(2, Fn.split("/", this.stackId))));
    this.logGroupPrefix = `/bog-payments/${this.stackName}/${deployment}`;

    const orders = tableFrom(this, "Orders", ORDERS_TABLE, {
      keep: true,
      indexes: settings.ordersIndexes,
    });
    const catalog = tableFrom(this, "Catalog", CATALOG_TABLE, { keep: true });
    const bankToken = tableFrom(this, "BankToken", BANK_TOKEN_TABLE, { keep: false });

    // Created empty (Secrets Manager generates a throwaway value): the operator stores
    // the real credentials with `npm run bog:credentials`. Nothing real is in the template.
    this.credentials = new Secret(this, "BankCredentials", {
      encryptionKey: this.key,
      description: 'Bank of Georgia client id and secret: {"clientId","clientSecret"}',
    });
    const credentials = this.credentials;

    const tables = {
      ORDERS_TABLE: orders.tableName,
      CATALOG_TABLE: catalog.tableName,
      BANK_TOKEN_TABLE: bankToken.tableName,
    };
    const bank = {
      BOG_ENVIRONMENT: settings.bankEnvironment,
      BOG_CREDENTIALS_SECRET_ID: credentials.secretArn,
    };
    const fn = (
      key: FunctionName,
      name: string,
      description: string,
      environment: Record<string, string>,
    ) =>
      new PaymentFunction(this, name, {
        name,
        description,
        environment,
        logGroupName: this.ownLogGroupName(name),
        logRetention: settings.logRetentionDays,
        logKey: this.key,
        reservedConcurrency: settings.reservedConcurrency
          ? settings.reservedConcurrency[key]
          : undefined,
      });

    // What tells a signed callback for this merchant's order from another merchant's
    // (the bank signs them all with one key): unset, the functions learn the merchant
    // id from the bank, and verify with the bank's published key.
    const merchant: Record<string, string> = settings.bankMerchantId
      ? { BOG_MERCHANT_ID: settings.bankMerchantId }
      : {};
    const callbackKey: Record<string, string> = settings.bankCallbackPublicKey
      ? { BOG_CALLBACK_PUBLIC_KEY: settings.bankCallbackPublicKey }
      : {};
    const callback = fn("callback", "callback", "The bank's payment callback (Function URL)", {
      ...tables,
      ...bank,
      ...merchant,
      ...callbackKey,
    });
    const callbackUrl = callback.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    const pages = {
      ...(settings.successUrlTemplate ? { SUCCESS_URL_TEMPLATE: settings.successUrlTemplate } : {}),
      ...(settings.failUrlTemplate ? { FAIL_URL_TEMPLATE: settings.failUrlTemplate } : {}),
    };
    this.functions = {
      listProducts: fn("listProducts", "list-products", "GET /products, GET /openapi.json", tables),
      createOrder: fn("createOrder", "create-order", "POST /orders (and Apple Pay's second step)", {
        ...tables,
        ...bank,
        ...pages,
        ...merchant,
        CALLBACK_URL: callbackUrl.url,
        CAPTURE_MODE: settings.captureMode,
        ...(settings.bankCampaign ? { BOG_CAMPAIGN: settings.bankCampaign } : {}),
        ...(settings.bankAccountTag ? { BOG_ACCOUNT_TAG: settings.bankAccountTag } : {}),
      }),
      getStatus: fn("getStatus", "get-status", "GET /orders/{orderId}", {
        ...tables,
        ...bank,
        ...merchant,
      }),
      callback,
      merchant: fn("merchant", "merchant", "Merchant API /merchant/* (AWS IAM)", {
        ...tables,
        ...bank,
        ...pages,
        ...merchant,
        CALLBACK_URL: callbackUrl.url,
        CAPTURE_MODE: settings.captureMode,
      }),
    };
    const { listProducts, createOrder, getStatus, merchant: merchantApi } = this.functions;

    // Least privilege: each function gets exactly the calls it makes.
    allow(listProducts.fn, catalog, ["Scan"]);
    allow(createOrder.fn, catalog, ["BatchGetItem"]);
    allow(createOrder.fn, orders, ["PutItem", "GetItem", "UpdateItem"]);
    allow(getStatus.fn, orders, ["GetItem", "UpdateItem"]);
    allow(callback.fn, orders, ["UpdateItem"]);
    allow(callback.fn, orders, ["Query"], [ORDER_INDEXES.bankOrderId]);
    // The merchant API writes orders (a transaction needs only the Put/Update rights of
    // its parts) and lists them through its indexes, never by a scan: orders by
    // created, status and reference, a customer's saved cards by customer.
    allow(merchantApi.fn, orders, ["GetItem", "PutItem", "UpdateItem"]);
    allow(
      merchantApi.fn,
      orders,
      ["Query"],
      [
        ORDER_INDEXES.created,
        ORDER_INDEXES.status,
        ORDER_INDEXES.reference,
        ORDER_INDEXES.customer,
      ],
    );
    for (const bankCaller of [createOrder, getStatus, callback, merchantApi]) {
      allow(bankCaller.fn, bankToken, ["GetItem", "PutItem", "UpdateItem", "DeleteItem"]);
      credentials.grantRead(bankCaller.fn);
    }

    this.reconciliation =
      settings.ordersIndexes >= indexesUpTo(ORDER_INDEXES.open)
        ? new Reconciliation(this, "Reconciliation", {
            orders,
            bankToken,
            credentials,
            environment: {
              ...tables,
              ...bank,
              ...merchant,
              RECONCILE_BLOCKED_SECONDS: String(settings.blockedCheckHours * 3600),
            },
            everyMinutes: settings.reconcileEveryMinutes,
            reserve: settings.reservedConcurrency !== false,
            logGroupName: this.ownLogGroupName("reconcile"),
            logRetention: settings.logRetentionDays,
            logKey: this.key,
          })
        : undefined;

    const accessLogs = new LogGroup(this, "ApiAccessLogs", {
      logGroupName: this.ownLogGroupName("api-access"),
      retention: settings.logRetentionDays,
      encryptionKey: this.key,
    });
    this.api = new HttpApi(this, "Api", {
      description: "Bank of Georgia payments for the shop's frontend",
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: settings.shopOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ["content-type", "idempotency-key"],
        maxAge: Duration.hours(1),
      },
    });
    const stage = new HttpStage(this, "Stage", {
      httpApi: this.api,
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
      const routes = this.api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration: integrationOf(target),
        ...(isMerchant ? { authorizer: iam } : {}),
      });
      (isMerchant ? this.merchantRoutes : this.publicRoutes).push(...routes);
      stage.node.addDependency(...routes);
      const { rateLimit, burstLimit } = settings.routeThrottles[routeKey];
      routeSettings[routeKey] = {
        ThrottlingRateLimit: rateLimit,
        ThrottlingBurstLimit: burstLimit,
      };
    }
    (stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    if (!merchantRoutesOn) {
      Annotations.of(this).addWarningV2(
        "bog-payments:merchant-routes-left-out",
        `ordersIndexes is ${settings.ordersIndexes} of ${ORDERS_INDEX_COUNT}: the merchant API's routes (/merchant/*) are left out of the API until the orders table has the indexes they list through. Deploy again with ordersIndexes one higher, and finally without it (docs/deploy.md, "Updating a stack deployed before the merchant API")`,
      );
    }
    if (merchantRoutesOn && !cardRoutesOn) {
      Annotations.of(this).addWarningV2(
        "bog-payments:card-routes-left-out",
        `ordersIndexes is ${settings.ordersIndexes} of ${ORDERS_INDEX_COUNT}: the saved-card routes (/merchant/customers/…/cards, /merchant/cards/…) are left out until the orders table has its customer index. Deploy again without ordersIndexes`,
      );
    }
    if (!this.reconciliation) {
      Annotations.of(this).addWarningV2(
        "bog-payments:reconciliation-left-out",
        `ordersIndexes is ${settings.ordersIndexes} of ${ORDERS_INDEX_COUNT}: the reconciliation sweep is left out until the orders table has its open-orders index (docs/reconciliation.md)`,
      );
    }

    // Exactly the merchant routes, on this API's stage: `*` stands only for a path
    // parameter (the order id, the customer's ref, the card id).
    // Created even while the routes are left out, so that the output stays put and a
    // policy that is already attached never has to be deleted.
    this.merchantApiPolicy = new ManagedPolicy(this, "MerchantApiPolicy", {
      description: "Invoke the BoG payments merchant API (/merchant/*, AWS IAM) and nothing else",
      statements: [
        new PolicyStatement({
          actions: ["execute-api:Invoke"],
          resources: MERCHANT_ROUTE_KEYS.map((routeKey) => {
            const [method, path] = routeKey.split(" ") as [string, string];
            return this.api.arnForExecuteApi(method, wildcardParams(path), stage.stageName);
          }),
        }),
      ],
    });

    const topicArn = this.alarms(settings);
    this.orderEvents = new OrderEvents(this, "OrderEvents", {
      orders,
      key: this.key,
      logGroupName: this.ownLogGroupName("order-events"),
      // Named (and so covered by the key's policy) only when there is a sender.
      senderLogGroupName: settings.orderWebhookUrl ? this.ownLogGroupName("webhook-sender") : "",
      logRetention: settings.logRetentionDays,
      alarmTopicArn: topicArn,
      webhookUrl: settings.orderWebhookUrl,
    });
    this.alarmNames.push(...this.orderEvents.alarmNames);
    new PaymentsDashboard(this, "Payments", {
      functions: this.functions,
      api: this.api,
      events: this.orderEvents,
      reconcile: this.reconciliation?.function,
    });
    this.allowServicesToUseKey(topicArn, settings.alarmEmail !== undefined);

    const output = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description });
    output(
      "ApiUrl",
      this.api.apiEndpoint,
      "Point the shop's frontend here (the merchant API is under /merchant, with IAM)",
    );
    output(
      "MerchantApiPolicyArn",
      this.merchantApiPolicy.managedPolicyArn,
      "Attach to the shop backend's role (or an operator) to call the merchant API",
    );
    output(
      "CallbackUrl",
      callbackUrl.url,
      "The bank's callbacks arrive here (sent with each order)",
    );
    output(
      "BankCredentialsSecretName",
      credentials.secretName,
      "Store the bank's credentials here: npm run bog:credentials",
    );
    output("OrdersTableName", orders.tableName, "Orders");
    output(
      "CatalogTableName",
      catalog.tableName,
      "The catalog: npm run catalog:import -- FILE.json",
    );
    output("BankTokenTableName", bankToken.tableName, "The bank token cache");
  }

  /** A log group name of this deployment's, which the key lets CloudWatch Logs use. */
  private ownLogGroupName(leaf: string): string {
    const name = `${this.logGroupPrefix}/${leaf}`;
    this.logGroupNames.push(name);
    return name;
  }

  /**
   * The key policy's statements for AWS services, each confined to this account and
   * to this stack's own resources: CloudWatch Logs to the stack's log groups (by the
   * encryption context it sends), CloudWatch to the stack's alarms publishing to the
   * encrypted topic, and SNS to that topic moving undelivered e-mails to the encrypted
   * queue (only when there is one).
   */
  private allowServicesToUseKey(topicArn: string, undeliveredQueue: boolean): void {
    // "IfExists": whether each service sends these keys to KMS could not be checked
    // without a deploy, and a condition on a key that is never sent would deny the
    // service and fail the deploy. The resource conditions (log-group ARNs in the
    // encryption context, alarm and topic ARNs) name this account's resources anyway.
    const fromThisAccount = { StringEqualsIfExists: { "aws:SourceAccount": this.account } };
    const arn = (service: string, resource: string, resourceName: string) =>
      this.formatArn({ service, resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: "CloudWatchLogsForThisStacksLogGroups",
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
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
            "kms:EncryptionContext:aws:logs:arn": this.logGroupNames.map((name) =>
              arn("logs", "log-group", name),
            ),
          },
          ...fromThisAccount,
        },
      }),
    );
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: "CloudWatchAlarmsOfThisStackToTheirTopic",
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: {
          ArnLikeIfExists: {
            "aws:SourceArn": this.alarmNames.map((name) => arn("cloudwatch", "alarm", name)),
          },
          ...fromThisAccount,
        },
      }),
    );
    if (undeliveredQueue) {
      this.key.addToResourcePolicy(
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

  /** The alarms and their topic; returns the topic's ARN, built from its name. */
  private alarms(settings: DeploySettings): string {
    // Named, like the alarms, so that the key policy can name them (see the log groups).
    const topicName = `${this.stackName}-Alarms`;
    const topic = new Topic(this, "Alarms", {
      topicName,
      displayName: "BoG payments alarms",
      enforceSSL: true,
      masterKey: this.key,
    });
    if (settings.alarmEmail) {
      // Notifications that cannot be delivered are kept for 14 days, not lost.
      const undelivered = new Queue(this, "UndeliveredAlarms", {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      topic.addSubscription(
        new EmailSubscription(settings.alarmEmail, { deadLetterQueue: undelivered }),
      );
    }
    const alarm = (id: string, metric: Metric, description: string, threshold = 1) => {
      const alarmName = `${this.stackName}-${id}`;
      this.alarmNames.push(alarmName);
      const created = new Alarm(this, id, {
        alarmName,
        metric,
        alarmDescription: description,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(topic));
    };
    const period = Duration.minutes(5);
    for (const [name, f] of Object.entries(this.functions)) {
      alarm(
        `${name}Errors`,
        f.fn.metricErrors({ period, statistic: "Sum" }),
        `${name}: function errors`,
      );
      alarm(
        `${name}Throttles`,
        f.fn.metricThrottles({ period, statistic: "Sum" }),
        `${name}: throttled invocations`,
      );
    }
    this.reconciliation?.alarms(alarm, settings.openOrderAlarmMinutes);
    alarm("Api5xx", this.api.metricServerError({ period, statistic: "Sum" }), "API answered 5xx");
    // Counted by the functions (lib/metrics.ts), summed over five minutes.
    const count = (metricName: string) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, period, statistic: "Sum" });
    alarm(
      "InvalidCallbackSignatures",
      count(INVALID_CALLBACK_SIGNATURE),
      "Callbacks with a signature that does not verify: someone is forging the bank",
    );
    alarm(
      "CallbackAnomalies",
      count(CALLBACK_ANOMALY),
      "Signed callbacks that do not match the order they name (bank order id, merchant, amounts): a security event; kept aside on the order, nothing applied",
    );
    alarm(
      "UnsignedCallbackFlood",
      count(UNSIGNED_CALLBACK),
      `${settings.unsignedCallbackAlarmThreshold} or more unsigned callbacks in 5 minutes: someone may be flooding the callback URL`,
      settings.unsignedCallbackAlarmThreshold,
    );
    alarm(
      "BankThrottled",
      count(BANK_THROTTLED),
      "The bank answered 429 (its rate limit): bank calls are slowed by retries and may fail; payments are at risk",
    );
    new CfnOutput(this, "AlarmTopicArn", {
      value: topic.topicArn,
      description: "Subscribe to alarms here",
    });
    return this.formatArn({ service: "sns", resource: topicName });
  }
}

/** A route's path with each path parameter (`{orderId}`, `{cardId}`, …) as IAM's `*`. */
export const wildcardParams = (path: string) => path.replace(/\{[A-Za-z]+\}/g, "*");
