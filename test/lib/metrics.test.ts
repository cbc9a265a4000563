import { describe, expect, it } from "vitest";
import { emitMetric, ORDERS_CREATED, PAID_AMOUNT } from "../../lib/metrics.js";

/**
 * The metrics' EMF line: the namespace, the unit and each dimension, as CloudWatch reads
 * them.
 */

describe("the EMF line", () => {
  it("names the namespace, the unit and each dimension, with the dimension's value beside the metric", () => {
    const lines: string[] = [];
    emitMetric(PAID_AMOUNT, 25.5, { unit: "None", dimensions: { Currency: "GEL" } }, (l) =>
      lines.push(l),
    );
    emitMetric(ORDERS_CREATED, undefined, undefined, (l) => lines.push(l));
    const [paid, created] = lines.map((l) => JSON.parse(l));
    expect(paid._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "BogPayments",
        Dimensions: [["Currency"]],
        Metrics: [{ Name: "PaidAmount", Unit: "None" }],
      },
    ]);
    expect(paid).toMatchObject({ Currency: "GEL", PaidAmount: 25.5 });
    // Without dimensions: the metric the alarms watch, as before.
    expect(created._aws.CloudWatchMetrics[0]).toMatchObject({
      Dimensions: [[]],
      Metrics: [{ Name: "OrdersCreated", Unit: "Count" }],
    });
    expect(created.OrdersCreated).toBe(1);
  });
});
