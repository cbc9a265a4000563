import { CfnOutput, Duration } from "aws-cdk-lib";
import { Metric } from "aws-cdk-lib/aws-cloudwatch";
import type { Table } from "aws-cdk-lib/aws-dynamodb";
import { EventBus, Rule, RuleTargetInput } from "aws-cdk-lib/aws-events";
import { SqsQueue } from "aws-cdk-lib/aws-events-targets";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { FilterCriteria, FilterRule, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq, SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
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
import { METRICS_NAMESPACE, WEBHOOK_UNDELIVERED_MINUTES } from "../lib/metrics.js";
import { alarmsIn } from "./alarm.js";
import { PaymentFunction } from "./payment-function.js";

/**
 * Order events (docs/events-and-webhooks.md): the orders table's stream → the order-events function
 * (an event source mapping, filtered to order items) → `Order Status Changed` on the
 * stack's EventBridge bus; with `orderWebhookUrl`, a rule on the bus puts each
 * event's detail on a delivery queue, from which the webhook-sender function POSTs it
 * to the shop's backend signed as Standard Webhooks says (a `whsec_` key the stack
 * generates), retrying on the schedule of lib/webhooks/retry-schedule.ts. Every
 * failure ends in an encrypted dead-letter queue with an alarm; nothing is dropped in
 * silence.
 */

/** How the stream is read: see docs/events-and-webhooks.md. */
const STREAM_READING = {
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
const ORDER_STREAM_FILTERS = [
  { dynamodb: { NewImage: { version: { N: FilterRule.exists() } } } },
  { dynamodb: { NewImage: { pk: { S: FilterRule.beginsWith(CARD_KEY_PREFIX) } } } },
];

/** The detail-types the webhook delivers: every event the stream publishes. */
const WEBHOOK_DETAIL_TYPES = [
  ORDER_EVENT_DETAIL_TYPE,
  CARD_SAVED_DETAIL_TYPE,
  CARD_DELETED_DETAIL_TYPE,
];

/** The rule's delivery to the queue: EventBridge's longest retry window and most attempts. */
const WEBHOOK_DELIVERY = {
  maxEventAge: Duration.hours(24),
  retryAttempts: 185,
} as const;

/**
 * One delivery attempt is 15 s at most, ten at once in a batch; before it, the signing
 * secret's read (about 10 s at worst), after it, the queue's call (about 10 s at worst).
 */
const SENDER_TIMEOUT = Duration.seconds(60);
/**
 * Receives before SQS itself moves a message to the dead letters. The sender moves it
 * after its last attempt, and no sooner than a day after it was queued; this is the net
 * for invocations that fail outright (the signing secret unreadable), each of which
 * hides the message for its next wait (10 hours past the schedule's end: 30 receives
 * are well over a week, inside the queue's retention).
 */
export const WEBHOOK_MAX_RECEIVES = 30;

/**
 * An event this many minutes old failing once more: the shop's backend is not taking
 * events (the schedule's fourth attempt, at 2 h 35 min, is the first to say so; SQS's
 * own ApproximateAgeOfOldestMessage skips messages received three times or more).
 */
const WEBHOOK_FAILING_ALARM_MINUTES = 60;

/** Concurrent sender invocations at most (SQS's event source takes 2 and up). */
const WEBHOOK_MAX_CONCURRENCY = 5;

/** Dead letters are kept for the longest time SQS keeps a message. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** The events lag: the oldest record a batch read was this old (ms). */
const ITERATOR_AGE_ALARM_MS = 10 * 60 * 1000;

export interface OrderEventsProps {
  /** The orders table, with its stream (lib/dynamo/tables.ts). */
  orders: Table;
  /** Encrypts the functions' logs and the webhook's signing secret. */
  key: IKey;
  logGroupName: string;
  /** The webhook sender's log group. */
  senderLogGroupName: string;
  logRetention: RetentionDays;
  /** Where the alarms go (the stack's encrypted topic). */
  alarmTopicArn: string;
  /** The shop's backend (https), or none: events stay on the bus. */
  webhookUrl: string | undefined;
}

export interface OrderWebhook {
  signingSecret: Secret;
  queue: Queue;
  sender: PaymentFunction;
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

    this.webhook = props.webhookUrl ? this.webhookTo(props.webhookUrl, props) : undefined;

    const topic = Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn);
    const period = Duration.minutes(5);
    const alarm = alarmsIn(this, topic, this.alarmNames);
    alarm(
      "OrderEventsDeadLetters",
      this.streamDeadLetters.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: "Maximum",
      }),
      "Order changes whose events could not be published after every retry: the shop did not hear of them. The messages name the stream records (docs/events-and-webhooks.md)",
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
        "Order events the shop's webhook did not take after every attempt (27 hours), or refused with a 4xx: they wait in the webhook's dead-letter queue (npm run webhook -- redrive)",
      );
      alarm(
        "OrderWebhookFailing",
        new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: WEBHOOK_UNDELIVERED_MINUTES,
          period,
          statistic: "Maximum",
        }),
        "An order event has waited over an hour for the shop's webhook, and its last attempt failed: the shop's backend is failing or refusing (the webhook-sender log says how); events are retried for 27 hours",
        WEBHOOK_FAILING_ALARM_MINUTES,
      );
      alarm(
        "OrderWebhookEventsLost",
        new Metric({
          namespace: "AWS/Events",
          metricName: "InvocationsFailedToBeSentToDlq",
          dimensionsMap: {
            EventBusName: this.bus.eventBusName,
            RuleName: this.webhook.rule.ruleName,
          },
          period,
          statistic: "Sum",
        }),
        "Order events the bus could neither put on the webhook's queue nor keep in its dead-letter queue: the shop will not hear of them by webhook (the merchant API still answers with each order as it is)",
      );
      alarm(
        "webhookSenderErrors",
        this.webhook.sender.fn.metricErrors({ period, statistic: "Sum" }),
        "webhook-sender: function errors (the signing secret unreadable, say); its messages wait in the queue",
      );
    }
  }

  private webhookTo(url: string, props: OrderEventsProps): OrderWebhook {
    // Generated by Secrets Manager at deploy time: never in the template, never in git.
    // 32 letters and digits are the base64 of 24 bytes: the shop's secret is
    // `whsec_` and them (`npm run webhook -- secret`).
    const signingSecret = new Secret(this, "WebhookSigningSecret", {
      description:
        "The order webhook's Standard Webhooks signing secret(s); the shop verifies with it",
      encryptionKey: props.key,
      generateSecretString: {
        secretStringTemplate: "{}",
        generateStringKey: "current",
        passwordLength: 32,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    output(
      this,
      "OrderWebhookSecretName",
      signingSecret.secretName,
      "The order webhook's signing secret: npm run webhook -- secret",
    );
    output(this, "OrderWebhookUrl", url, "Where the order webhook delivers");
    const deadLetters = deadLetterQueue(this, "WebhookDeadLetters");
    output(
      this,
      "OrderWebhookDeadLetterQueueUrl",
      deadLetters.queueUrl,
      "Events the webhook could not deliver: npm run webhook -- redrive",
    );
    const queue = new Queue(this, "WebhookQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS keeps one: the schedule's 27.6 hours, and the net's receives.
      retentionPeriod: DEAD_LETTER_RETENTION,
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: WEBHOOK_MAX_RECEIVES },
    });
    const sender = new PaymentFunction(this, "webhook-sender", {
      name: "webhook-sender",
      description: "Order and card events → the shop's webhook, signed (Standard Webhooks)",
      environment: {
        WEBHOOK_URL: url,
        WEBHOOK_SECRET_ID: signingSecret.secretArn,
        WEBHOOK_QUEUE_URL: queue.queueUrl,
        WEBHOOK_DEAD_LETTER_QUEUE_URL: deadLetters.queueUrl,
      },
      timeout: SENDER_TIMEOUT,
      logGroupName: props.senderLogGroupName,
      logRetention: props.logRetention,
      logKey: props.key,
    });
    signingSecret.grantRead(sender.fn);
    deadLetters.grantSendMessages(sender.fn);
    sender.fn.addEventSource(
      // A few at a time: a shop that hangs must not take the account's concurrency
      // from the payment functions.
      new SqsEventSource(queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        maxConcurrency: WEBHOOK_MAX_CONCURRENCY,
      }),
    );
    const rule = new Rule(this, "WebhookRule", {
      description: "Every order and card event → the webhook's delivery queue",
      eventBus: this.bus,
      eventPattern: { source: [ORDER_EVENT_SOURCE], detailType: WEBHOOK_DETAIL_TYPES },
      targets: [
        new SqsQueue(queue, {
          message: RuleTargetInput.fromEventPath("$.detail"),
          ...WEBHOOK_DELIVERY,
          deadLetterQueue: deadLetters,
        }),
      ],
    });
    return { signingSecret, queue, sender, rule, deadLetters };
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
