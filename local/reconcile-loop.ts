import type { SweepReport } from "../lib/orders/reconcile/sweep.js";
import { lambdaContext } from "./lambda-events.js";

/**
 * `npm start`'s stand-in for the schedule: runs the reconcile function's handler (the
 * code the schedule invokes in AWS) every RECONCILE_INTERVAL_SECONDS (default 60),
 * one run at a time, with a log line of counts per run. `stop` waits for a run in
 * progress, so that a shutdown never cuts a bank call's write short.
 */

type SweepReportLike = Omit<SweepReport, "oldestOpenMinutes">;

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** What one local run may take, like the function's timeout in AWS. */
const RUN_TIMEOUT_MS = 120_000;

export function readReconcileIntervalMs(env: Record<string, string | undefined>): number {
  const raw = env.RECONCILE_INTERVAL_SECONDS?.trim();
  if (raw === undefined || raw === "") return 60_000;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 86_400)
    throw new Error(
      `RECONCILE_INTERVAL_SECONDS must be a whole number from 1 to 86400, got "${raw}"`,
    );
  return Number(raw) * 1000;
}

export function startReconcileLoop(
  handler: Handler,
  intervalMs: number,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const report = (await handler(
        {},
        lambdaContext("reconcile", RUN_TIMEOUT_MS),
      )) as SweepReportLike;
      log(
        `reconcile: ${report.seen} open seen, ${report.checked} asked the bank, ${report.repaired} repaired (${report.expired} expired), ${report.closed} closed, ${report.failed} failed${report.complete ? "" : ", out of time: the rest next run"}`,
      );
    } catch (error) {
      log(`reconcile: run failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    running = run().finally(() => {
      running = undefined;
    });
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
