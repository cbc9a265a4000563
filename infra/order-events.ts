import { CfnOutput, Duration, Stack } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  type Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import {
  ApiDestination,
  Authorization,
  Connection,
  EventBus,
  HttpMethod,
  Rule,
  RuleTargetInput,
} from "aws-cdk-lib/aws-events";
import { ApiDestination as ApiDestinationTarget } from "aws-cdk-lib/aws-events-targets";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  CARD_DELETED_DETAIL_TYPE,
  CARD_KEY_PREFIX,
  CARD_SAVED_DETAIL_TYPE,
} from "../lib/events/card-event.js";
import { ORDER_EVENT_DETAIL_TYPE, ORDER_EVENT_SOURCE } from "../lib/events/order-event.js";
import { WEBHOOK_KEY_HEADER } from "../lib/events/webhook-key.js";
import { PaymentFunction } from "./payment-function.js";

/**
 * Order events (CONTRACT §6): the orders table's stream → the order-events function
 * (an event source mapping, filtered to order items) → `Order Status Changed` on the
 * stack's EventBridge bus; with `orderWebhookUrl`, a rule on the bus POSTs each
 * event's detail to the shop's backend through an API destination, authenticated
 * with a key the stack generates. Every failure ends in an encrypted dead-letter
 * queue with an alarm; nothing is dropped in silence.
 */

/** How the stream is read: see the README, "Order events and webhooks". */
export const STREAM_READING = {
  batchSize: 100,
  /** Retries of a failing batch (halved each time by bisection) before its records are dead-lettered. */
  retryAttempts: 10,
  /** A record older than this is dead-lettered rather than retried (the stream keeps 24 h). */
  maxRecordAge: Duration.hours(6),
  /** Concurrent batches per shard; records of one order stay in order. */
  parallelizationFactor: 2,
} as const;

/**
 * What the event source mapping passes (any of them): order items and card items;
 * local/order-stream.ts applies the same patterns under npm start.
 */
export const ORDER_STREAM_FILTERS = [
  { dynamodb: { NewImage: { version: { N: FilterRule.exists() } } } },
  { dynamodb: { NewImage: { pk: { S: FilterRule.beginsWith(CARD_KEY_PREFIX) } } } },
];

/** The detail-types the webhook delivers: every event the stream publishes. */
export const WEBHOOK_DETAIL_TYPES = [
  ORDER_EVENT_DETAIL_TYPE,
  CARD_SAVED_DETAIL_TYPE,
  CARD_DELETED_DETAIL_TYPE,
];

/** The webhook's delivery: EventBridge's longest retry window and most attempts. */
export const WEBHOOK_DELIVERY = {
  maxEventAge: Duration.hours(24),
  retryAttempts: 185,
} as const;

/** Dead letters are kept for the longest time SQS keeps a message. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** The events lag: the oldest record a batch read was this old (ms). */
const ITERATOR_AGE_ALARM_MS = 10 * 60 * 1000;

export interface OrderEventsProps {
  /** The orders table, with its stream (lib/dynamo/tables.ts). */
  orders: Table;
  /** Encrypts the function's logs and the webhook key. */
  key: IKey;
  logGroupName: string;
  logRetention: RetentionDays;
  /** Where the alarms go (the stack's encrypted topic). */
  alarmTopicArn: string;
  /** The shop's backend (https), or none: events stay on the bus. */
  webhookUrl: string | undefined;
}

export interface OrderWebhook {
  key: Secret;
  connection: Connection;
  destination: ApiDestination;
  rule: Rule;
  deadLetters: Queue;
}

export class OrderEvents extends Construct {
  readonly bus: EventBus;
  readonly function: PaymentFunction;
  /** Where the positions of stream records that kept failing go. */
  readonly streamDeadLetters: Queue;
  readonly webhook: OrderWebhook | undefined;
  /** The alarms' names, for the key policy that lets CloudWatch publish to the encrypted topic. */
  readonly alarmNames: string[] = [];

  constructor(scope: Construct, id: string, props: OrderEventsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bus = new EventBus(this, "Bus", {
      description: "BoG payments: Order Status Changed, Card Saved and Card Deleted events",
    });
    output(this, "OrderEventBusName", this.bus.eventBusName, "Order events arrive on this bus");

    this.function = new PaymentFunction(this, "order-events", {
      name: "order-events",
      description: "The orders table's stream → order and card events on the bus",
      environment: { ORDER_EVENT_BUS_NAME: this.bus.eventBusName },
      logGroupName: props.logGroupName,
      logRetention: props.logRetention,
      logKey: props.key,
    });
    const fn = this.function.fn;
    this.bus.grantPutEventsTo(fn);

    this.streamDeadLetters = deadLetterQueue(this, "StreamDeadLetters");
    fn.addEventSource(
      new DynamoEventSource(props.orders, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        ...STREAM_READING,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamDeadLetters),
        // Only order items (they carry a version) and card items (`card#…`, for Card
        // Saved / Card Deleted): not Idempotency-Key claims, not deletions.
        filters: ORDER_STREAM_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );

    this.webhook = props.webhookUrl ? this.webhookTo(props.webhookUrl, props.key) : undefined;

    const topic = Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn);
    const period = Duration.minutes(5);
    const alarm = (alarmId: string, metric: Metric, description: string, threshold = 1) => {
      const alarmName = `${stack.stackName}-${alarmId}`;
      this.alarmNames.push(alarmName);
      new Alarm(this, alarmId, {
        alarmName,
        metric,
        alarmDescription: description,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(topic));
    };
    alarm(
      "OrderEventsDeadLetters",
      this.streamDeadLetters.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: "Maximum",
      }),
      "Order changes whose events could not be published after every retry: the shop did not hear of them. The messages name the stream records (README, Order events and webhooks)",
    );
    alarm(
      "orderEventsErrors",
      fn.metricErrors({ period, statistic: "Sum" }),
      "order-events: function errors",
    );
    alarm(
      "OrderEventsLag",
      fn.metric("IteratorAge", { period, statistic: "Maximum" }),
      "Order events are more than 10 minutes behind the orders table",
      ITERATOR_AGE_ALARM_MS,
    );
    if (this.webhook) {
      alarm(
        "OrderWebhookDeadLetters",
        this.webhook.deadLetters.metricApproximateNumberOfMessagesVisible({
          period,
          statistic: "Maximum",
        }),
        "Order events the shop's webhook did not take within 24 hours (or refused with a 4xx): they wait in the webhook's dead-letter queue",
      );
    }
  }

  private webhookTo(url: string, key: IKey): OrderWebhook {
    // Generated by Secrets Manager at deploy time: never in the template, never in git.
    // `npm run webhook:secret` shows it to the shop's operator.
    const webhookKey = new Secret(this, "WebhookKey", {
      description: `The key the order webhook sends in ${WEBHOOK_KEY_HEADER}; the shop checks it`,
      encryptionKey: key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    output(
      this,
      "OrderWebhookSecretName",
      webhookKey.secretName,
      "The order webhook's key: npm run webhook:secret",
    );
    const connection = new Connection(this, "WebhookConnection", {
      description: "The shop's order webhook: its key in a header",
      authorization: Authorization.apiKey(WEBHOOK_KEY_HEADER, webhookKey.secretValue),
    });
    const destination = new ApiDestination(this, "Webhook", {
      description: "The shop's backend: each order event's detail, POSTed as JSON",
      connection,
      endpoint: url,
      httpMethod: HttpMethod.POST,
    });
    const deadLetters = deadLetterQueue(this, "WebhookDeadLetters");
    const rule = new Rule(this, "WebhookRule", {
      description: "Every order and card event → the shop's webhook",
      eventBus: this.bus,
      eventPattern: { source: [ORDER_EVENT_SOURCE], detailType: WEBHOOK_DETAIL_TYPES },
      targets: [
        new ApiDestinationTarget(destination, {
          event: RuleTargetInput.fromEventPath("$.detail"),
          ...WEBHOOK_DELIVERY,
          deadLetterQueue: deadLetters,
        }),
      ],
    });
    return { key: webhookKey, connection, destination, rule, deadLetters };
  }
}

/** An output named exactly (not prefixed by this construct's path): operators read it by name. */
function output(scope: Construct, name: string, value: string, description: string): void {
  new CfnOutput(scope, name, { value, description }).overrideLogicalId(name);
}

function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
  });
}
