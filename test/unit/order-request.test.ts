import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/http/api-error.js";
import { parseOrderRequest } from "../../lib/orders/order-request.js";

const limits = { maxItems: 50, defaultTtlMinutes: 15 };
const items = [{ productId: "sku-cup", quantity: 1 }];

describe("the capture mode comes from the shop, never the browser", () => {
  it.each(["automatic", "manual"] as const)("a %s shop's orders are %s", (mode) => {
    expect(parseOrderRequest({ items }, { ...limits, captureMode: mode }).capture).toBe(mode);
    expect(
      parseOrderRequest({ items, capture: mode }, { ...limits, captureMode: mode }).capture,
    ).toBe(mode);
  });

  it.each([
    ["automatic", "manual"],
    ["manual", "automatic"],
  ] as const)("a %s shop refuses capture %s", (mode, asked) => {
    let refused: unknown;
    try {
      parseOrderRequest({ items, capture: asked }, { ...limits, captureMode: mode });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 400, code: "invalid_request" });
    expect((refused as ApiError).details?.[0]?.path).toBe("capture");
  });
});
