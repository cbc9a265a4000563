import { loadCallbackPublicKey } from "../../lib/bog/callback-signature.js";
import { readCallbackPublicKeyPem } from "../../lib/config.js";
import { countMetric } from "../../lib/metrics.js";
import { bankOf, ordersOf, runtimeFromEnv } from "../../lib/runtime.js";
import { callbackHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "callback");
export const handler = callbackHandler({
  ...runtime,
  orders: ordersOf(runtime),
  bank: bankOf(runtime),
  publicKey: loadCallbackPublicKey(readCallbackPublicKeyPem(process.env)),
  metric: (name) => countMetric(name),
});
