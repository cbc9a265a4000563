import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../local/dynamodb-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/** One DynamoDB Local for the whole run; each test file makes its own tables. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal();
  project.provide("dynamodbEndpoint", dynamodb.endpoint);
  return () => dynamodb.stop();
}
