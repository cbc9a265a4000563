import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../lib/errors.js";
import { readWebhookSenderConfig } from "../../../lib/webhooks/webhook-config.js";

/** The webhook sender's settings, checked at cold start. */

describe("the sender's settings, at cold start", () => {
  const valid = {
    WEBHOOK_URL: "https://shop.example/bog-events",
    WEBHOOK_SECRET_ID: "arn:aws:secretsmanager:eu-central-1:1:secret:x",
    WEBHOOK_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/1/q",
    WEBHOOK_DEAD_LETTER_QUEUE_URL: "https://sqs.eu-central-1.amazonaws.com/1/dlq",
  };
  it("reads them", () => {
    expect(readWebhookSenderConfig(valid)).toEqual({
      url: "https://shop.example/bog-events",
      secretId: valid.WEBHOOK_SECRET_ID,
      queueUrl: valid.WEBHOOK_QUEUE_URL,
      deadLetterQueueUrl: valid.WEBHOOK_DEAD_LETTER_QUEUE_URL,
    });
  });
  it("takes them with the spaces around them trimmed", () => {
    const spaced = Object.fromEntries(Object.entries(valid).map(([k, v]) => [k, ` ${v} `]));
    expect(readWebhookSenderConfig(spaced)).toEqual(readWebhookSenderConfig(valid));
  });
  it("refuses each missing or wrong one by name, saying what it must be", () => {
    for (const [name, value, must] of [
      ["WEBHOOK_URL", undefined, "is required"],
      ["WEBHOOK_URL", "  ", "is required"],
      ["WEBHOOK_URL", "http://shop.example/x", "must be https"],
      ["WEBHOOK_URL", "not a url", "must be an absolute https URL"],
      ["WEBHOOK_SECRET_ID", " ", "is required"],
      ["WEBHOOK_QUEUE_URL", "sqs/q", "must be the queue's https URL"],
      ["WEBHOOK_QUEUE_URL", "xhttps://sqs.example/q", "must be the queue's https URL"],
      ["WEBHOOK_QUEUE_URL", "https://sqs.example/q x", "must be the queue's https URL"],
      ["WEBHOOK_DEAD_LETTER_QUEUE_URL", undefined, "must be the queue's https URL"],
    ] as const) {
      const env = { ...valid, [name]: value };
      expect(() => readWebhookSenderConfig(env)).toThrow(ConfigError);
      expect(() => readWebhookSenderConfig(env)).toThrow(`${name} ${must}`);
    }
  });
});
