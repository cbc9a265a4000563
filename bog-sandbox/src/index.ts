/**
 * bog-sandbox as a library: start the emulated bank in-process (port 0 for tests),
 * drive it over HTTP like the real one, stop it.
 */
export type { SandboxBank } from "./bank.js";
export type { CallbackRecord } from "./callbacks.js";
export type { Fault, FaultTarget } from "./faults.js";
export {
  DEFAULT_OPTIONS,
  type Merchant,
  type OtherMerchant,
  type RuntimeConfig,
  type SandboxOptions,
} from "./options.js";
export { type RunningSandbox, startSandbox } from "./sandbox.js";
export type { Stats } from "./stats.js";
