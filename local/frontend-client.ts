import createClient from "openapi-fetch";
import type { components, paths } from "../lib/openapi/api-types.js";

type OrderState = components["schemas"]["OrderState"];
type OrderStatus = components["schemas"]["OrderStatus"];

// Statuses the bank may still change by itself: keep asking.
const IN_FLIGHT: ReadonlySet<OrderStatus> = new Set([
  "pending",
  "created",
  "processing",
  "auth_requested",
  "refund_requested",
]);

/** The shop's API: `ApiUrl` from `npx cdk deploy`, or http://127.0.0.1:3000 under npm start. */
export function shopApi(baseUrl: string) {
  const api = createClient<paths>({ baseUrl });
  return {
    /**
     * Starts the payment. One Idempotency-Key per cart (keep it with the cart), so a
     * double click, a retry or a return from the bank's page is the same order.
     * Send the browser to `redirectUrl`.
     */
    async startPayment(cartKey: string, items: Array<{ productId: string; quantity: number }>) {
      const { data, error, response } = await api.POST("/orders", {
        params: { header: { "Idempotency-Key": cartKey } },
        body: { items, locale: "en" },
      });
      if (error) throw new Error(`${response.status} ${error.error.code}: ${error.error.message}`);
      if (data.redirectUrl === undefined) throw new Error("no payment page (a wallet order)");
      return { orderId: data.orderId, redirectUrl: data.redirectUrl };
    },

    /** On the result page: the redirect proves nothing; ask the API until the status is final. */
    async finalState(orderId: string, everyMs = 2000): Promise<OrderState> {
      for (;;) {
        const { data, error, response } = await api.GET("/orders/{orderId}", {
          params: { path: { orderId } },
        });
        if (error)
          throw new Error(`${response.status} ${error.error.code}: ${error.error.message}`);
        if (!IN_FLIGHT.has(data.status)) return data;
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    },
  };
}
