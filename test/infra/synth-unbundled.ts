import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { buildApp } from "../../infra/app.js";
import type { PaymentsStack } from "../../infra/payments-stack.js";

/** The stack with the given settings, synthesized without bundling the functions (fast). */
export const BASE = {
  shopOrigins: ["https://shop.example"],
  "aws:cdk:bundling-stacks": [],
};

export function synth(context: Record<string, unknown> = {}): {
  stack: PaymentsStack;
  template: Template;
} {
  const { stack } = buildApp(new App({ context: { ...BASE, ...context } }));
  return { stack, template: Template.fromStack(stack) };
}
