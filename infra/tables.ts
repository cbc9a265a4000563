import { RemovalPolicy } from "aws-cdk-lib";
import {
  AttributeType,
  BillingMode,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import type { TableDefinition } from "../lib/dynamo/tables.js";

/**
 * A DynamoDB table built from its shared definition (lib/dynamo/tables.ts), with the
 * first `indexes` of its global secondary indexes (all when unset): CloudFormation
 * creates one index per stack update, so an existing table gains them one deploy at a
 * time (the setting ordersIndexes).
 */
export function tableFrom(
  scope: Construct,
  id: string,
  definition: TableDefinition,
  options: { keep: boolean; indexes?: number },
): Table {
  const attributeType = (type: "S" | "N") =>
    type === "S" ? AttributeType.STRING : AttributeType.NUMBER;
  const table = new Table(scope, id, {
    partitionKey: {
      name: definition.partitionKey.name,
      type: attributeType(definition.partitionKey.type),
    },
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: definition.timeToLiveAttribute,
    stream: definition.stream && StreamViewType[definition.stream],
    deletionProtection: options.keep,
    removalPolicy: options.keep ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const indexes = definition.globalSecondaryIndexes ?? [];
  for (const index of indexes.slice(0, options.indexes ?? indexes.length)) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey.name, type: attributeType(index.partitionKey.type) },
      sortKey: index.sortKey && {
        name: index.sortKey.name,
        type: attributeType(index.sortKey.type),
      },
    });
  }
  return table;
}
