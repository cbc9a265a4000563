import { afterEach, beforeEach } from "vitest";

type Write = typeof process.stdout.write;

/**
 * Keeps what the code under test writes to stdout and stderr (Powertools' log lines,
 * WARN and ERROR on stderr, the rest and EMF on stdout) for each test, in order, to
 * look for what must or must not be there. `echo: false` keeps it out of the test
 * output (DEBUG lines of every request would drown it).
 */
export function captureOutput(options: { echo: boolean }): {
  text(): string;
  logLines(): Array<Record<string, unknown>>;
  clear(): void;
} {
  const chunks: string[] = [];
  const restores: Array<() => void> = [];
  const capture = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return options.echo ? (write as (...args: unknown[]) => boolean)(chunk, ...rest) : true;
    }) as Write;
    restores.push(() => {
      stream.write = write;
    });
  };
  beforeEach(() => {
    chunks.length = 0;
    capture(process.stdout);
    capture(process.stderr);
  });
  afterEach(() => {
    for (const restore of restores.splice(0)) restore();
  });
  return {
    text: () => chunks.join(""),
    /** The JSON log lines (Powertools' and EMF's), parsed, in order. */
    logLines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    /** Forgets what was written so far in this test (its setup's lines). */
    clear: () => {
      chunks.length = 0;
    },
  };
}
