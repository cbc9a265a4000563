import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import { post, token } from "../support/bank-calls.js";
import { bankOrderIdOf, useFunctions } from "../support/functions.js";
import { captureOutput } from "../support/stdout-capture.js";

/**
 * Every log line of a whole payment and its failures, at every level (Powertools
 * writes WARN and ERROR to stderr, the rest to stdout), holds no token, secret or
 * buyer contact.
 */
const fx = useFunctions({ logger: () => new Logger({ serviceName: "test", logLevel: "DEBUG" }) });
const output = captureOutput({ echo: true });

describe("logs", () => {
  it("say what happened, with the order id, and nothing secret or personal", async () => {
    const buyer = {
      fullName: "Nino Beridze",
      maskedEmail: "nino.b@example.ge",
      maskedPhone: "+995555123456",
    };
    const { body } = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }], buyer });
    const orderId = body.orderId as string;
    const bankOrderId = await bankOrderIdOf(fx, orderId);
    await post(fx.sandbox(), `/_sandbox/orders/${bankOrderId}/pay`, { outcome: "completed" });
    await fx.getOrder(orderId);
    await fx.postOrder("{bad json");
    // WARN: a callback whose signature does not verify.
    expect((await fx.callback(Buffer.from("{}"), { "callback-signature": "AAAA" })).status).toBe(
      401,
    );
    // ERROR: the bank stays down for an order with the buyer's details.
    await post(fx.sandbox(), "/_sandbox/faults", { target: "createOrder", status: 503, count: 3 });
    const failed = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 2 }], buyer });
    expect(failed.status).toBe(503);

    const text = output.text();
    expect(text).toContain(orderId);
    expect(text).toContain("bank order created");
    expect(text).toContain("callback stored");
    expect(text).toContain("request refused");
    expect(text).toMatch(/"level":"WARN".*security: callback signature does not verify/);
    expect(text).toMatch(/"level":"ERROR".*request failed/);
    for (const secret of [
      fx.sandbox().clientSecret,
      "Nino Beridze",
      "nino.b@example.ge",
      "+995555123456",
      "548888", // the masked card number's prefix
      (await token(fx.sandbox())).split(".")[0], // a token's header: no token is ever logged
      "Bearer ",
      "Basic ",
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
