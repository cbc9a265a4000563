import { afterEach, beforeEach } from "vitest";

/**
 * Keeps what the code under test writes to stdout (Powertools' log lines, EMF) for
 * each test, to look for what must or must not be there. `echo: false` keeps it out
 * of the test output (DEBUG lines of every request would drown it).
 */
export function captureStdout(options: { echo: boolean }): { text(): string } {
  const lines: string[] = [];
  let restore: (() => void) | undefined;
  beforeEach(() => {
    lines.length = 0;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return options.echo ? (write as (...args: unknown[]) => boolean)(chunk, ...rest) : true;
    }) as typeof process.stdout.write;
    restore = () => {
      process.stdout.write = write;
    };
  });
  afterEach(() => restore?.());
  return { text: () => lines.join("") };
}
