import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../lib/dynamo/client.js";

/** Counts the DynamoDB requests a document client sends, by command name. */
export class RequestCounter {
  readonly calls: string[] = [];
  /** Each call with the table it names (`UpdateItemCommand orders-…`), for IAM checks. */
  readonly targets: string[] = [];
  /**
   * Called before each request is sent: may throw what DynamoDB would answer, for the
   * few answers DynamoDB Local cannot be made to give on cue (TransactionConflict).
   */
  intercept: ((commandName: string, input: Record<string, unknown>) => void) | undefined;
  get total(): number {
    return this.calls.length;
  }
  reset(): void {
    this.calls.length = 0;
    this.targets.length = 0;
  }
}

export function countingDocumentClient(
  endpoint: string,
  counter: RequestCounter,
): DynamoDBDocumentClient {
  const doc = createDocumentClient(endpoint);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      counter.calls.push(String(context.commandName));
      const input = args.input as { TableName?: string };
      counter.targets.push(`${String(context.commandName)} ${input.TableName ?? "(several)"}`);
      counter.intercept?.(String(context.commandName), args.input as Record<string, unknown>);
      return next(args);
    },
    { step: "initialize", name: "requestCounter" },
  );
  return doc;
}
