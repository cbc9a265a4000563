import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";

/** The deployed stack's outputs (from `npx cdk deploy`), by name. */
export async function stackOutput(stackName: string, outputKey: string): Promise<string> {
  const client = new CloudFormationClient({});
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const value = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === outputKey)?.OutputValue;
    if (!value)
      throw new Error(
        `stack ${stackName} has no output ${outputKey}: deploy it first (npx cdk deploy)`,
      );
    return value;
  } catch (error) {
    if (error instanceof Error && error.name === "ValidationError") {
      throw new Error(
        `no stack ${stackName} in this account and region: deploy it first (npx cdk deploy)`,
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
}

/** `--stack NAME` (default BogPayments) and `--local`, from the arguments; anything else is refused. */
export function parseTarget(args: string[], allowed: { file?: boolean; local?: boolean }) {
  let stack = "BogPayments";
  let local = false;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--stack") {
      const next = args[++i];
      if (!next) throw new Error("--stack needs a stack name");
      stack = next;
    } else if (arg === "--local" && allowed.local) local = true;
    else if (!arg.startsWith("-") && allowed.file && file === undefined) file = arg;
    else
      throw new Error(
        `unexpected argument: ${allowed.file ? arg : "(credentials are never taken from the command line)"}`,
      );
  }
  return { stack, local, file };
}
