import { type CfnElement, Validations } from "aws-cdk-lib";
import { MERCHANT_ROUTE_KEYS } from "../lib/http/routes.js";
import { wildcardParams } from "./http-api.js";
import type { PaymentsStack } from "./payments-stack.js";

/**
 * The cdk-nag findings we accept, each where it arises and with its reason. Every
 * other finding stops the synth. (Fixed rather than accepted: KMS encryption of the
 * secret, logs and alarm topic, by one customer-managed key.)
 */
export function acknowledgeFindings(stack: PaymentsStack): void {
  const { listProducts, createOrder, getStatus, callback, merchant } = stack.functions;
  const reconcile = stack.reconciliation?.function;
  for (const f of [listProducts, createOrder, getStatus, callback, merchant]) {
    Validations.of(f).acknowledge({
      id: "Serverless::Serverless-LambdaDLQ",
      reason:
        "Invoked synchronously only (API Gateway, Function URL): the caller gets the error; a DLQ serves asynchronous invocations",
    });
  }
  if (stack.reconciliation && reconcile) {
    const replay =
      "Invoked by its schedule with no payload: a failed run has nothing to replay, and the next run minutes later walks the index of open orders again (its errors raise an alarm)";
    Validations.of(reconcile).acknowledge(
      { id: "Serverless::Serverless-LambdaDLQ", reason: replay },
      { id: "Serverless::Serverless-LambdaAsyncFailureDestination", reason: replay },
    );
    const role = Validations.of(stack.reconciliation.scheduleRole);
    const fn = stack.getLogicalId(reconcile.fn.node.defaultChild as CfnElement);
    role.acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${fn}.Arn>:*]`,
      reason:
        "The Scheduler's Lambda target grants lambda:InvokeFunction on the function and its qualified ARNs (versions, aliases) of this one function: the * is only a qualifier",
    });
    role.acknowledge({
      id: "PCI.DSS.321::PCI.DSS.321-IAMNoInlinePolicy",
      reason:
        "The schedule role's one inline policy allows lambda:InvokeFunction on the sweep function only, and lives and dies with the role",
    });
  }
  for (const f of [listProducts, createOrder, getStatus, callback, merchant, reconcile]) {
    if (!f) continue;
    const on = Validations.of(f);
    on.acknowledge({
      id: "PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC",
      reason:
        "Reaches only AWS APIs (IAM-authenticated, TLS) and the bank's public HTTPS API; holds no card data (cards are entered on the bank's page). A VPC would add NAT for the bank and no protection",
    });
    on.acknowledge({
      id: "PCI.DSS.321::PCI.DSS.321-IAMNoInlinePolicy",
      reason:
        "The role's one inline policy lists exact actions on exact table, index, secret and key ARNs, and lives and dies with the role",
    });
    on.acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason:
        "Only xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray does not scope to a resource",
    });
    on.acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      reason:
        "AWS's minimal policy for a function to write its own logs (CreateLogStream, PutLogEvents)",
    });
  }
  Validations.of(callback).acknowledge({
    id: "PCI.DSS.321::PCI.DSS.321-LambdaFunctionPublicAccessProhibited",
    reason:
      "The bank calls the callback without AWS credentials, so its Function URL is public; every request is authenticated by the bank's RSA signature over the raw body, or not trusted at all",
  });
  // On the public routes only: a merchant route without its IAM authorizer stops the synth.
  for (const route of stack.publicRoutes) {
    Validations.of(route).acknowledge({
      id: "AwsSolutions::AwsSolutions-APIG4",
      reason:
        "The shop's public frontend calls these routes for anonymous customers; nothing in them is private (a product list, a payment start priced by the server, an order status by unguessable id), and CORS and throttling bound them",
    });
  }
  // One finding per route ARN with a path parameter in it, each named exactly.
  const api = stack.getLogicalId(stack.api.node.defaultChild as CfnElement);
  for (const routeKey of MERCHANT_ROUTE_KEYS) {
    const [method, path] = routeKey.split(" ") as [string, string];
    if (!path.includes("{")) continue;
    const resource = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${api}>/$default/${method}${wildcardParams(path)}`;
    Validations.of(stack.merchantApiPolicy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`,
      reason: `The * is the path parameter of ${routeKey} (IAM has no one-segment wildcard); with this method, nothing else of the API lies under that path, and the stage, method and API are exact`,
    });
  }
  const undelivered = stack.node.tryFindChild("UndeliveredAlarms");
  if (undelivered) {
    for (const id of [
      "AwsSolutions::AwsSolutions-SQS3",
      "Serverless::Serverless-SQSRedrivePolicy",
    ]) {
      Validations.of(undelivered).acknowledge({
        id,
        reason:
          "This queue is itself the dead-letter queue of the alarm e-mail subscription: nothing drains into a further one",
      });
    }
  }
  acknowledgeOrderEventsFindings(stack);
  Validations.of(stack.credentials).acknowledge({
    id: "AwsSolutions::AwsSolutions-SMG4",
    reason:
      "The bank issues the client secret and the business cannot change it (the bank's documentation): there is nothing to rotate to",
  });
}

/** The order events' findings (infra/order-events.ts), each with its reason. */
function acknowledgeOrderEventsFindings(stack: PaymentsStack): void {
  const { function: events, streamDeadLetters, webhook } = stack.orderEvents;
  const on = Validations.of(events);
  on.acknowledge({
    id: "Serverless::Serverless-LambdaDLQ",
    reason:
      "Invoked only by its DynamoDB stream event source mapping, whose on-failure destination is an encrypted SQS queue (StreamDeadLetters, with an alarm); a function DLQ serves asynchronous invocations, which it never gets",
  });
  on.acknowledge({
    id: "PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC",
    reason:
      "Reaches only AWS APIs (EventBridge PutEvents, IAM-authenticated, TLS); reads order changes that hold no card data or buyer contact. A VPC would add endpoints and no protection",
  });
  on.acknowledge({
    id: "PCI.DSS.321::PCI.DSS.321-IAMNoInlinePolicy",
    reason:
      "The role's one inline policy lists exact actions on the orders table's stream, the stack's bus and the dead-letter queue, and lives and dies with the role",
  });
  on.acknowledge({
    id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
    reason:
      "Only xray:PutTraceSegments, xray:PutTelemetryRecords and dynamodb:ListStreams, which AWS does not scope to a resource; reading the stream itself is granted on its ARN only",
  });
  on.acknowledge({
    id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    reason:
      "AWS's minimal policy for a function to write its own logs (CreateLogStream, PutLogEvents)",
  });
  const queues = [streamDeadLetters, ...(webhook ? [webhook.deadLetters] : [])];
  for (const queue of queues) {
    for (const id of [
      "AwsSolutions::AwsSolutions-SQS3",
      "Serverless::Serverless-SQSRedrivePolicy",
    ]) {
      Validations.of(queue).acknowledge({
        id,
        reason:
          "This queue is itself a dead-letter queue (of the stream's event source mapping, or of the webhook's delivery queue and its EventBridge target), with an alarm on its depth: nothing drains into a further one",
      });
    }
  }
  if (webhook) {
    const sender = Validations.of(webhook.sender);
    sender.acknowledge(
      {
        id: "Serverless::Serverless-LambdaDLQ",
        reason:
          "Invoked only by its SQS event source mapping: a message it cannot deliver is hidden for the schedule's next wait, and SQS's redrive policy (and the sender itself) moves what keeps failing to the encrypted WebhookDeadLetters queue, with an alarm",
      },
      {
        id: "Serverless::Serverless-LambdaEventSourceMappingDestination",
        reason:
          "An SQS event source keeps failed messages in its queue; the queue's redrive policy is the failure destination (WebhookDeadLetters, with an alarm)",
      },
      {
        id: "PCI.DSS.321::PCI.DSS.321-LambdaInsideVPC",
        reason:
          "Reaches only AWS APIs (IAM-authenticated, TLS) and the shop's own https webhook; sends order and card events that hold no card data or buyer contact. A VPC would add NAT and no protection",
      },
      {
        id: "PCI.DSS.321::PCI.DSS.321-IAMNoInlinePolicy",
        reason:
          "The role's one inline policy lists exact actions on its queue, the dead-letter queue, the signing secret and the stack's key, and lives and dies with the role",
      },
      {
        id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        reason:
          "Only xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray does not scope to a resource",
      },
      {
        id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "AWS's minimal policy for a function to write its own logs (CreateLogStream, PutLogEvents)",
      },
    );
    Validations.of(webhook.signingSecret).acknowledge({
      id: "AwsSolutions::AwsSolutions-SMG4",
      reason:
        "The shop's backend holds a copy of this signing secret to verify deliveries; an automatic rotation would break the webhook until the shop updated it. It is rotated with the shop, two secrets valid at once: npm run webhook -- rotate-secret, then --finish (docs/events-and-webhooks.md)",
    });
  }
}
