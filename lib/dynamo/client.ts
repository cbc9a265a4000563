import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * The DynamoDB document client. Functions build one per container at module scope.
 * An endpoint means DynamoDB Local, which takes any credentials.
 *
 * Every request is bounded: a stalled table must become a clear 503 well inside the
 * function's timeout, never a hang until Lambda kills the request. A DynamoDB request
 * answers in milliseconds; an attempt that has said nothing for 3.5 s is stalled. Two
 * attempts with the SDK's backoff end within about 7.5 s, well inside a 15 s function
 * and the API's 30 s (DynamoDB Local under a test's load can take seconds, so tighter
 * bounds would turn a busy test machine into 503s). `storage-errors.ts` tells how the
 * failure is answered.
 */
const DYNAMODB_ATTEMPT_TIMEOUT_MS = 3500;
const DYNAMODB_CONNECT_TIMEOUT_MS = 2000;
const DYNAMODB_MAX_ATTEMPTS = 2;

export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
  const bounds = {
    maxAttempts: DYNAMODB_MAX_ATTEMPTS,
    requestHandler: {
      requestTimeout: DYNAMODB_ATTEMPT_TIMEOUT_MS,
      connectionTimeout: DYNAMODB_CONNECT_TIMEOUT_MS,
      // Without this the SDK only warns when an attempt exceeds requestTimeout, and waits on.
      throwOnRequestTimeout: true,
    },
  };
  const client = new DynamoDBClient(
    endpoint
      ? {
          ...bounds,
          endpoint,
          region: process.env.AWS_REGION ?? "local",
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }
      : bounds,
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
