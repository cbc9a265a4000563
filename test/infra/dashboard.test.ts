import { describe, expect, it } from "vitest";
import {
  BANK_ERRORS,
  BANK_LATENCY,
  CALLBACKS,
  ORDERS_CREATED,
  ORDERS_PAID,
  ORDERS_REFUNDED,
  ORDERS_REJECTED,
  PAID_AMOUNT,
} from "../../lib/metrics.js";
import { synth } from "./synth-unbundled.js";

/** Issue 11, item 4: a CloudWatch dashboard of a day of payments, and its URL as an output. */

const { template } = synth();

function body(t = template): string {
  const dashboards = Object.values(t.findResources("AWS::CloudWatch::Dashboard"));
  expect(dashboards).toHaveLength(1);
  const raw = (dashboards[0] as { Properties: { DashboardBody: unknown } }).Properties
    .DashboardBody;
  // The body is a Fn::Join of strings and tokens (region, function names): its text is enough here.
  return JSON.stringify(raw);
}

describe("the payments dashboard", () => {
  it("shows orders created, paid by currency with their amount, rejected and refunded", () => {
    const text = body();
    for (const name of [ORDERS_CREATED, ORDERS_PAID, PAID_AMOUNT, ORDERS_REJECTED, ORDERS_REFUNDED])
      expect(text).toContain(`\\"${name}\\"`);
    for (const currency of ["GEL", "USD", "EUR", "GBP"]) expect(text).toContain(currency);
  });

  it("shows callbacks by outcome and the bank's latency and errors by operation (searches, not lists)", () => {
    const text = body();
    expect(text).toContain(`MetricName=\\\\\\"${CALLBACKS}\\\\\\"`);
    expect(text).toContain("BogPayments,Outcome");
    expect(text).toContain(`MetricName=\\\\\\"${BANK_LATENCY}\\\\\\"`);
    expect(text).toContain("'p99'");
    expect(text).toContain(`MetricName=\\\\\\"${BANK_ERRORS}\\\\\\"`);
  });

  it("shows every function's errors and the API's 5xx", () => {
    const text = body();
    expect(text).toContain('\\"Errors\\"');
    expect(text).toContain('\\"Throttles\\"');
    expect(text).toContain('\\"5xx\\"');
  });

  it("shows the order events (published, failing, dead-lettered, delay) and the sweep", () => {
    const text = body();
    expect(text).toContain("IteratorAge");
    expect(text).toContain("ApproximateNumberOfMessagesVisible");
    for (const name of ["ReconcileChecked", "ReconcileRepaired", "OpenOrderAgeMinutes"])
      expect(text).toContain(`\\"${name}\\"`);
    // No webhook row without a webhook.
    expect(text).not.toContain("InvocationsSentToDlq");
  });

  it("with orderWebhookUrl, a row of the webhook's queue, sender errors and dead letters", () => {
    const text = body(synth({ orderWebhookUrl: "https://shop.example/bog-events" }).template);
    for (const name of [
      "ApproximateNumberOfMessagesVisible",
      "ApproximateNumberOfMessagesNotVisible",
      "ApproximateAgeOfOldestMessage",
      "Errors",
    ])
      expect(text).toContain(`\\"${name}\\"`);
    expect(text).toContain("Webhook: waiting, sender errors, dead-lettered");
  });

  it("without the open-orders index there is no sweep, and no sweep row", () => {
    expect(body(synth({ ordersIndexes: 4 }).template)).not.toContain("ReconcileChecked");
  });

  it("its URL is an output", () => {
    const outputs = template.findOutputs("DashboardUrl");
    expect(Object.keys(outputs)).toHaveLength(1);
    expect(JSON.stringify(outputs)).toContain("#dashboards:name=");
  });
});
