import { Annotations, CfnOutput, Fn, Stack, type StackProps } from "aws-cdk-lib";
import type { HttpApi, HttpRoute } from "aws-cdk-lib/aws-apigatewayv2";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { type ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { FunctionUrlAuthType, type IFunction } from "aws-cdk-lib/aws-lambda";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import {
  BANK_TOKEN_TABLE,
  CATALOG_TABLE,
  ORDER_INDEXES,
  ORDERS_TABLE,
} from "../lib/dynamo/tables.js";
import { addAlarms } from "./alarms.js";
import { PaymentsDashboard } from "./dashboard.js";
import { addHttpApi } from "./http-api.js";
import { allowServicesToUseKey } from "./key-policy.js";
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
  readonly publicRoutes: HttpRoute[];
  readonly merchantRoutes: HttpRoute[];
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

    const http = addHttpApi(this, {
      settings,
      functions: this.functions,
      accessLogGroupName: this.ownLogGroupName("api-access"),
      key: this.key,
    });
    this.api = http.api;
    this.publicRoutes = http.publicRoutes;
    this.merchantRoutes = http.merchantRoutes;
    this.merchantApiPolicy = http.merchantApiPolicy;
    if (!this.reconciliation) {
      Annotations.of(this).addWarningV2(
        "bog-payments:reconciliation-left-out",
        `ordersIndexes is ${settings.ordersIndexes} of ${ORDERS_INDEX_COUNT}: the reconciliation sweep is left out until the orders table has its open-orders index (docs/reconciliation.md)`,
      );
    }

    const topicArn = addAlarms(this, {
      settings,
      key: this.key,
      functions: this.functions,
      api: this.api,
      reconciliation: this.reconciliation,
      alarmNames: this.alarmNames,
    });
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
    allowServicesToUseKey(this, this.key, {
      logGroupNames: this.logGroupNames,
      alarmNames: this.alarmNames,
      topicArn,
      undeliveredQueue: settings.alarmEmail !== undefined,
    });

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
}
