import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Architecture, LoggingFormat, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { BUNDLE, RUNTIME_NODE_OPTIONS } from "./bundling.js";

/**
 * Every function of the product, with its defaults written once: the newest Node
 * runtime, arm64, ESM bundled and minified by the local esbuild (no Docker) with the
 * settings of infra/bundling.ts, source maps, X-Ray tracing, JSON logs into an explicit log group with a retention.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface PaymentFunctionProps {
  /** The folder under functions/ whose index.ts is the handler. */
  name: string;
  description: string;
  environment: Record<string, string>;
  /** The function's own log group, named by the stack (see its key policy). */
  logGroupName: string;
  logRetention: RetentionDays;
  /** Encrypts the function's logs. */
  logKey: IKey;
  timeout?: Duration;
  memorySize?: number;
  /** Concurrent executions reserved for the function, which are also its ceiling; none when unset. */
  reservedConcurrency?: number;
}

export class PaymentFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PaymentFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, "Logs", {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fn = new NodejsFunction(this, "Function", {
      description: props.description,
      entry: join(ROOT, "functions", props.name, "index.ts"),
      handler: "handler",
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, "package-lock.json"),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(15),
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrency,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        ...(RUNTIME_NODE_OPTIONS === "" ? {} : { NODE_OPTIONS: RUNTIME_NODE_OPTIONS }),
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_LOG_LEVEL: "INFO",
        ...props.environment,
      },
      // infra/bundling.ts in NodejsFunction's terms (the bench builds from the same).
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE.target,
        platform: BUNDLE.platform,
        minify: BUNDLE.minify,
        sourceMap: BUNDLE.sourcemap,
        mainFields: [...BUNDLE.mainFields],
        externalModules: [...BUNDLE.external],
        forceDockerBundling: false,
        banner: BUNDLE.banner,
        esbuildArgs: Object.fromEntries(
          Object.entries(BUNDLE.alias).map(([from, to]) => [`--alias:${from}`, to]),
        ),
      },
    });
  }
}
