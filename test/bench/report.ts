import type { BundleResult, Mode } from "./cold-starts.js";
import type { Spread } from "./stats.js";
import type { OperationResult, TokenReuseResult } from "./warm-requests.js";

/** The bench's printed tables (bench-results.json has every figure). */

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
const ms = (s: Spread) => `${s.median.toFixed(1)} [${s.min.toFixed(1)}–${s.max.toFixed(1)}]`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [
    line(header),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...rows.map(line),
  ].join("\n");
}

export function coldStartTable(bundles: BundleResult[], modes: Mode[]): string {
  const header = [
    "bundle",
    "bytes",
    "× anchor",
    ...modes.flatMap((m) => [`import ms, ${m.name}: median [min–max]`, "× anchor"]),
  ];
  const rows = bundles.map((b) => [
    b.name,
    kb(b.bytes),
    b.bytesRatio.toFixed(2),
    ...modes.flatMap((m) => {
      const r = b.imports[m.name];
      return r ? [ms(r.wallMs), r.ratio.toFixed(2)] : ["", ""];
    }),
  ]);
  return table(header, rows);
}

export function warmTable(operations: OperationResult[]): string {
  const fmt = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ") || "none";
  return table(
    [
      "function",
      "operation",
      "CPU ms/request: median [p25–p75]",
      "DynamoDB/request",
      "bank/request",
    ],
    operations.map((o) => [
      o.fn,
      o.operation,
      `${o.cpuMs.median.toFixed(2)} [${o.cpuMs.p25.toFixed(2)}–${o.cpuMs.p75.toFixed(2)}]`,
      `${o.dynamodbPerRequest} (${fmt(o.dynamodbCommands)})`,
      `${o.bankPerRequest} (${fmt(o.bankCalls)})`,
    ]),
  );
}

export function tokenLine(t: TokenReuseResult): string {
  return (
    `${t.orders} orders over ${t.containers} cold containers: ${t.bankRoundTrips} bank round trips ` +
    `(${t.tokenRequests} token, ${t.createOrderRequests} create-order), ` +
    `${t.bankRoundTripsPerOrder} per order; ${t.dynamodbPerOrder} DynamoDB requests per order`
  );
}

/** The goals, reported, never enforced: import ≤ 0.5× and bytes ≤ 0.4× the anchor, as deployed. */
export function goals(bundles: BundleResult[], deployed: string): string[] {
  return bundles
    .filter((b) => b.name !== "anchor")
    .map((b) => {
      const ratio = b.imports[deployed]?.ratio ?? Number.NaN;
      const importOk = ratio <= 0.5 ? "met" : "not met";
      const bytesOk = b.bytesRatio <= 0.4 ? "met" : "not met";
      return `${b.name}: import ${ratio.toFixed(2)}× (≤ 0.5: ${importOk}), bytes ${b.bytesRatio.toFixed(2)}× (≤ 0.4: ${bytesOk})`;
    });
}
