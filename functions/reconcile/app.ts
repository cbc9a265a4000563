import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import {
  OPEN_ORDER_AGE_MINUTES,
  putMetrics,
  RECONCILE_CHECKED,
  RECONCILE_REPAIRED,
} from "../../lib/metrics.js";
import { type SweepDeps, type SweepReport, sweep } from "../../lib/orders/reconcile/sweep.js";

/** Time kept back from the Lambda's remaining time: the run's last writes, and its report. */
export const SWEEP_MARGIN_MS = 10_000;

export interface ReconcileHandlerDeps extends SweepDeps {
  log: Logger;
  /** Writes the run's metrics (EMF on stdout in AWS). */
  putMetrics?: typeof putMetrics;
}

/** The reconciliation sweep, on a schedule: one run, within the invocation's time. */
export function reconcileHandler(deps: ReconcileHandlerDeps) {
  const emit = deps.putMetrics ?? putMetrics;
  return middy<unknown, SweepReport>()
    .use(injectLambdaContext(deps.log, { resetKeys: true }))
    .handler(async (_event: unknown, context: Context) => {
      const deadline =
        Date.now() + Math.max(0, context.getRemainingTimeInMillis() - SWEEP_MARGIN_MS);
      const report = await sweep(deadline, deps);
      emit([
        { name: RECONCILE_CHECKED, value: report.checked, unit: "Count" },
        { name: RECONCILE_REPAIRED, value: report.repaired, unit: "Count" },
        { name: OPEN_ORDER_AGE_MINUTES, value: report.oldestOpenMinutes, unit: "None" },
      ]);
      deps.log.info("reconciliation run", { ...report });
      return report;
    });
}
