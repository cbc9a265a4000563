import { loadCallbackPublicKey } from "../../lib/bog/callback-signature.js";
import { readCallbackPublicKeyPem, readStatusRefreshMs } from "../../lib/config.js";
import {
  bankOf,
  cardsOf,
  merchantOf,
  operationsOf,
  ordersOf,
  runtimeFromEnv,
} from "../../lib/runtime.js";
import { callbackHandler } from "./app.js";

const runtime = runtimeFromEnv(process.env, "callback");
export const handler = callbackHandler({
  ...runtime,
  orders: ordersOf(runtime),
  operations: operationsOf(runtime),
  cards: cardsOf(runtime),
  bank: bankOf(runtime),
  merchant: merchantOf(runtime),
  publicKey: loadCallbackPublicKey(readCallbackPublicKeyPem(process.env)),
  refreshMs: readStatusRefreshMs(process.env),
});
