import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import { z } from "zod";

/**
 * The bench's anchor: a naive Lambda with the product's dependencies (DynamoDB,
 * lib-dynamodb, Secrets Manager, zod's classic API as its docs write it, middy,
 * Powertools logger), everything imported and built at module top, as most Lambdas are
 * written (the functions use zod/mini). Bundled with the stack's settings; never
 * deployed. Each function's cold start and bytes are compared with it.
 */

const logger = new Logger({ serviceName: "anchor" });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const secrets = new SecretsManagerClient({});
const Body = z.object({ orderId: z.string().uuid(), amount: z.number().int().positive() });

export const handler = middy(async (event: { body?: string }) => {
  const body = Body.parse(JSON.parse(event.body ?? "{}"));
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID }));
  const item = await doc.send(
    new GetCommand({ TableName: process.env.ORDERS_TABLE, Key: { pk: body.orderId } }),
  );
  logger.info("anchor", {
    found: item.Item !== undefined,
    secret: secret.SecretString !== undefined,
  });
  return { statusCode: 200, body: "{}" };
});
