/**
 * Preloaded into a child process (`node --import tsx --import <this file> …`): the
 * moment the process writes a chunk containing SIGNAL_ON_OUTPUT to stdout, it sends
 * itself SIGNAL_ON_OUTPUT_SIGNAL. That is the earliest a supervisor reading its ready
 * line could signal it, made certain instead of left to the scheduler: a process that
 * installs its signal handlers only after printing that line dies of the signal's
 * default action instead of stopping cleanly.
 */

const text = process.env.SIGNAL_ON_OUTPUT;
const signal = (process.env.SIGNAL_ON_OUTPUT_SIGNAL ?? "SIGTERM") as NodeJS.Signals;

if (text) {
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  let sent = false;
  process.stdout.write = ((...args: unknown[]) => {
    const written = write(...args);
    if (!sent && String(args[0]).includes(text)) {
      sent = true;
      process.kill(process.pid, signal);
    }
    return written;
  }) as typeof process.stdout.write;
}
