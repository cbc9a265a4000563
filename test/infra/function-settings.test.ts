import { generateKeyPairSync } from "node:crypto";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synth } from "./synth-unbundled.js";

/**
 * The settings a callback is judged by, and the capture mode, reach their functions.
 * Stacks here are built without bundling.
 */

describe("the settings a callback is judged by, and the capture mode, reach their functions", () => {
  type Fn = { Properties: { Environment: { Variables: Record<string, unknown> } } };
  const variables = (template: Template) =>
    Object.fromEntries(
      (Object.values(template.findResources("AWS::Lambda::Function")) as Fn[]).map((f) => [
        f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME,
        f.Properties.Environment.Variables,
      ]),
    ) as Record<string, Record<string, unknown>>;
  const holding = (template: Template, variable: string) =>
    Object.entries(variables(template))
      .filter(([, vars]) => variable in vars)
      .map(([service]) => service)
      .sort();
  const key = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .publicKey.export({ type: "spki", format: "pem" })
    .toString()
    .trim();

  it("by default: automatic capture for create-order and the merchant API; the bank's published key and no merchant id anywhere", () => {
    const { template } = synth();
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "create-order",
          CAPTURE_MODE: "automatic",
        }),
      },
    });
    expect(holding(template, "CAPTURE_MODE")).toEqual(["create-order", "merchant"]);
    expect(holding(template, "BOG_MERCHANT_ID")).toEqual([]);
    expect(holding(template, "BOG_CALLBACK_PUBLIC_KEY")).toEqual([]);
  });

  it("as set: the capture mode for create-order and the merchant API, the merchant id for every function that reads the bank's payment details, the key for the callback only", () => {
    const { template } = synth({
      bankEnvironment: "test",
      captureMode: "manual",
      bankMerchantId: "39155",
      bankCallbackPublicKey: key,
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "create-order",
          CAPTURE_MODE: "manual",
        }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "callback",
          BOG_MERCHANT_ID: "39155",
          BOG_CALLBACK_PUBLIC_KEY: key,
        }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "get-status",
          BOG_MERCHANT_ID: "39155",
        }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "merchant",
          CAPTURE_MODE: "manual",
          BOG_MERCHANT_ID: "39155",
        }),
      },
    });
    expect(holding(template, "CAPTURE_MODE")).toEqual(["create-order", "merchant"]);
    // create-order reads them after a wallet payment the bank answered as done.
    expect(holding(template, "BOG_MERCHANT_ID")).toEqual([
      "callback",
      "create-order",
      "get-status",
      "merchant",
      "reconcile",
    ]);
    expect(holding(template, "BOG_CALLBACK_PUBLIC_KEY")).toEqual(["callback"]);
  });

  it("the shop's campaign and POS account reach create-order only, and only when set", () => {
    expect(holding(synth().template, "BOG_CAMPAIGN")).toEqual([]);
    const { template } = synth({ bankCampaign: "visa:client_discount", bankAccountTag: "pos-2" });
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: "create-order",
          BOG_CAMPAIGN: "visa:client_discount",
          BOG_ACCOUNT_TAG: "pos-2",
        }),
      },
    });
    expect(holding(template, "BOG_CAMPAIGN")).toEqual(["create-order"]);
    expect(holding(template, "BOG_ACCOUNT_TAG")).toEqual(["create-order"]);
  });

  it.each([
    ["bankCampaign", "amex:restrict"],
    ["bankCampaign", "visa"],
    ["bankAccountTag", "t".repeat(65)],
  ])("%s %s stops the synth, naming it", (name, value) => {
    expect(() => synth({ [name]: value })).toThrow(name);
  });
});
