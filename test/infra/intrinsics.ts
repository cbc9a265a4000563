/**
 * Reads a template value the way CloudFormation would resolve it in one made-up
 * account, so that a test can compare names and ARNs as text: `Ref` of a pseudo
 * parameter, `Fn::Join`, `Fn::Select` and `Fn::Split`. A `Ref` to a resource reads as
 * `<Ref LogicalId>`. Anything else is left as it is.
 */

export const ACCOUNT = "123456789012";
export const REGION = "eu-central-1";
/** The deployment id the stack derives from its stack id: the UUID's first block. */
export const DEPLOYMENT = "1c2fa620";

const PSEUDO: Record<string, string> = {
  "AWS::Partition": "aws",
  "AWS::Region": REGION,
  "AWS::AccountId": ACCOUNT,
  "AWS::URLSuffix": "amazonaws.com",
  "AWS::StackId": `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/BogPayments/${DEPLOYMENT}-982a-11e3-aff7-50e2416294e0`,
};

export function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first) {
    const [fn, arg] = first;
    if (fn === "Ref" && typeof arg === "string") return PSEUDO[arg] ?? `<Ref ${arg}>`;
    if (fn === "Fn::Join") {
      const [separator, parts] = arg as [string, unknown[]];
      return (resolve(parts) as unknown[]).join(separator);
    }
    if (fn === "Fn::Select") {
      const [index, list] = arg as [number, unknown];
      return (resolve(list) as unknown[])[index];
    }
    if (fn === "Fn::Split") {
      const [separator, text] = arg as [string, unknown];
      return String(resolve(text)).split(separator);
    }
  }
  return Object.fromEntries(entries.map(([key, inner]) => [key, resolve(inner)]));
}
