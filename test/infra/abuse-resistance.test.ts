import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../infra/app.js";
import type { PaymentsStack } from "../../infra/payments-stack.js";

/**
 * What bounds an abusive caller, and what tells the operator about one: each function's
 * reserved concurrency, the API's per-route throttles, the alarms on callback anomalies,
 * unsigned-callback floods and the bank's 429s, and a key that only this stack's log
 * groups, alarms and topic may use. Stacks here are built without bundling (the
 * templates are what matter; stack.test.ts builds the bundled one).
 */

const BASE = {
  shopOrigins: ["https://shop.example"],
  "aws:cdk:bundling-stacks": [],
};

function synth(context: Record<string, unknown> = {}): {
  stack: PaymentsStack;
  template: Template;
} {
  const { stack } = buildApp(new App({ context: { ...BASE, ...context } }));
  return { stack, template: Template.fromStack(stack) };
}

const byService = (service: string) => ({
  Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) },
});

describe("reserved concurrency", () => {
  it("each function has a share sized to its job, 500 in all: half of a default 1,000-execution account stays unreserved", () => {
    const { template } = synth();
    const expected = { "list-products": 100, "create-order": 200, "get-status": 150, callback: 50 };
    for (const [service, reserved] of Object.entries(expected)) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        ...byService(service),
        ReservedConcurrentExecutions: reserved,
      });
    }
    const total = Object.values(template.findResources("AWS::Lambda::Function")).reduce(
      (sum, fn) =>
        sum +
        (fn as { Properties: { ReservedConcurrentExecutions: number } }).Properties
          .ReservedConcurrentExecutions,
      0,
    );
    // AWS refuses a reservation that leaves fewer than 100 unreserved.
    expect(total).toBe(500);
    expect(1000 - total).toBeGreaterThanOrEqual(100);
  });

  it("one function can be resized; the others keep their share", () => {
    const { template } = synth({ reservedConcurrency: { createOrder: 300 } });
    template.hasResourceProperties("AWS::Lambda::Function", {
      ...byService("create-order"),
      ReservedConcurrentExecutions: 300,
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      ...byService("callback"),
      ReservedConcurrentExecutions: 50,
    });
  });

  it("false reserves nothing, for accounts whose limit is too small to reserve from", () => {
    for (const off of [false, "false"]) {
      const { template } = synth({ reservedConcurrency: off });
      template.resourceCountIs("AWS::Lambda::Function", 4);
      template.allResourcesProperties("AWS::Lambda::Function", {
        ReservedConcurrentExecutions: Match.absent(),
      });
    }
  });
});
