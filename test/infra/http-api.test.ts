import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synth } from "./synth-unbundled.js";

/**
 * The HTTP API's per-route throttles, which bound an abusive caller. Stacks here are
 * built without bundling.
 */

describe("per-route throttles", () => {
  const stageOf = (template: Template) => {
    const stages = Object.values(template.findResources("AWS::ApiGatewayV2::Stage")) as Array<{
      DependsOn?: string[];
      Properties: { RouteSettings?: Record<string, unknown> };
    }>;
    expect(stages).toHaveLength(1);
    return stages[0] as (typeof stages)[number];
  };

  it("every route has its own throttle, beside the stage's default", () => {
    const { template } = synth();
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      RouteSettings: {
        "GET /products": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        "POST /orders": { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
        "GET /orders/{orderId}": { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
        "POST /orders/{orderId}/wallet-payment": {
          ThrottlingRateLimit: 25,
          ThrottlingBurstLimit: 50,
        },
        "GET /openapi.json": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        "POST /merchant/orders": { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
        "GET /merchant/orders": { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
        "GET /merchant/orders/{orderId}": { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
        "POST /merchant/orders/{orderId}/refund": {
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        },
        "POST /merchant/orders/{orderId}/capture": {
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        },
        "POST /merchant/orders/{orderId}/void": {
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        },
      },
    });
    // Exactly the API's routes: a route without a throttle would fall back to the
    // default, and a throttle for a route that does not exist fails the deployment.
    const routeKeys = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map(
      (r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(Object.keys(stageOf(template).Properties.RouteSettings ?? {}).sort()).toEqual(
      routeKeys.sort(),
    );
  });

  it("the stage is created after the routes its settings name", () => {
    const { template } = synth();
    const routes = Object.keys(template.findResources("AWS::ApiGatewayV2::Route"));
    expect(routes).toHaveLength(14);
    expect(stageOf(template).DependsOn).toEqual(expect.arrayContaining(routes));
  });

  it("a setting changes one route's rate or burst and keeps the rest", () => {
    const { template } = synth({
      routeThrottles: { "POST /orders": { rateLimit: 5 }, "GET /products": { burstLimit: 20 } },
    });
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      RouteSettings: {
        "GET /products": { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 20 },
        "POST /orders": { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 50 },
        "GET /orders/{orderId}": { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      },
    });
  });
});
