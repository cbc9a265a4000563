import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, PCIDSS321Checks, ServerlessChecks } from "cdk-nag";
import { acknowledgeFindings } from "./acknowledgements.js";
import { PaymentsStack } from "./payments-stack.js";
import { readSettings } from "./settings.js";

/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. Settings come from cdk.json's
 * context or `-c name=value`. cdk-nag's AwsSolutions, Serverless and PCI DSS 3.2.1
 * packs run at every synth; any finding not acknowledged (with a reason) stops it.
 */
export function buildApp(app: App = new App()): { app: App; stack: PaymentsStack } {
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new PaymentsStack(app, app.node.tryGetContext("stackName") ?? "BogPayments", {
    settings,
    description:
      "Bank of Georgia online payments for a shop (create order, status, callback, merchant API)",
  });
  acknowledgeFindings(stack);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new ServerlessChecks(app),
    new PCIDSS321Checks(app),
  );
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
