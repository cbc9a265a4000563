import { afterAll, beforeAll, beforeEach } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox.js";
import { type CallbackReceiver, startCallbackReceiver } from "./callback-receiver.js";

/** Fast callback retries so retry tests take milliseconds. */
export const FAST_RETRIES = [20, 40, 80];

/**
 * One sandbox and one callback receiver per test file, reset before each test,
 * so every test starts from a bank with no orders, tokens, counters or faults.
 */
export function useSandbox(): { sandbox: () => RunningSandbox; receiver: () => CallbackReceiver } {
  let sandbox: RunningSandbox | undefined;
  let receiver: CallbackReceiver | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      callbackRetryDelaysMs: FAST_RETRIES,
      callbackTimeoutMs: 2000,
    });
    receiver = await startCallbackReceiver();
  });
  beforeEach(() => {
    sandbox?.bank.reset();
    if (receiver) {
      receiver.received.length = 0;
      receiver.respondWith([]);
    }
  });
  afterAll(async () => {
    await sandbox?.stop();
    await receiver?.close();
  });
  return {
    sandbox: () => sandbox as RunningSandbox,
    receiver: () => receiver as CallbackReceiver,
  };
}
