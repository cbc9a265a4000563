import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synth } from "./synth-unbundled.js";

/**
 * Each function's reserved concurrency, which bounds an abusive caller. Stacks here are
 * built without bundling.
 */

const byService = (service: string) => ({
  Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: service }) },
});

describe("reserved concurrency", () => {
  it("each function has a share sized to its job, 551 in all (the sweep runs alone): 449 of a default 1,000-execution account stay unreserved", () => {
    const { template } = synth();
    const expected = {
      "list-products": 100,
      "create-order": 200,
      "get-status": 150,
      callback: 50,
      merchant: 50,
      reconcile: 1,
    };
    for (const [service, reserved] of Object.entries(expected)) {
      template.hasResourceProperties("AWS::Lambda::Function", {
        ...byService(service),
        ReservedConcurrentExecutions: reserved,
      });
    }
    const total = Object.values(template.findResources("AWS::Lambda::Function")).reduce(
      (sum, fn) =>
        sum +
        // order-events reserves none: its stream's shards (two batches each) bound it.
        ((fn as { Properties: { ReservedConcurrentExecutions?: number } }).Properties
          .ReservedConcurrentExecutions ?? 0),
      0,
    );
    // AWS refuses a reservation that leaves fewer than 100 unreserved.
    expect(total).toBe(551);
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
      template.resourceCountIs("AWS::Lambda::Function", 7);
      template.allResourcesProperties("AWS::Lambda::Function", {
        ReservedConcurrentExecutions: Match.absent(),
      });
    }
  });
});
