import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { ApiError } from "../../lib/http/api-error.js";
import { httpErrors } from "../../lib/http/error-handler.js";
import { deadlineFrom } from "../../lib/http/lambda.js";
import { header, rawBody } from "../../lib/http/request.js";
import { type HttpResult, json } from "../../lib/http/response.js";
import {
  type CallbackDeps,
  handleCallback,
} from "../../lib/orders/bank-answers/handle-callback.js";

/** Far above any real payment event; the signature check reads the whole body. */
const MAX_CALLBACK_BYTES = 256 * 1024;

/** POST from the bank (a Function URL): raw bytes to the callback rules, untouched. */
export function callbackHandler(deps: CallbackDeps & { log: Logger }) {
  return middy<LambdaFunctionURLEvent, HttpResult>()
    .use(injectLambdaContext(deps.log, { resetKeys: true, logEvent: false }))
    .use(httpErrors(deps.log))
    .handler(async (event, context) => {
      if (event.requestContext?.http?.method !== "POST") {
        throw new ApiError(405, "invalid_request", "only POST", undefined, { allow: "POST" });
      }
      const raw = rawBody(event);
      if (raw.length > MAX_CALLBACK_BYTES)
        throw new ApiError(413, "payload_too_large", "the body is too large");
      const outcome = await handleCallback(
        raw,
        header(event, "callback-signature"),
        deadlineFrom(context),
        deps,
      );
      return json(200, { received: true, outcome });
    });
}
