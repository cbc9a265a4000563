import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOrder, get, post, stats, token, validOrder } from "./support/bank-calls.js";
import { FAST_RETRIES, useSandbox } from "./support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();

async function newOrder(callbackUrl = receiver().url) {
  const accessToken = await token(sandbox());
  const created = await createOrder(sandbox(), accessToken, validOrder(callbackUrl));
  return { id: created.body.id as string, accessToken };
}

async function sandboxKey() {
  return createPublicKey((await get(sandbox(), "/_sandbox/public-key")).text);
}

/** What the document asks of a shop: SHA256withRSA over the raw bytes, base64 in the header. */
function verifyCallbackSignature(raw: Buffer, signature: string, key: KeyObject): boolean {
  return verify("sha256", raw, key, Buffer.from(signature, "base64"));
}

const header = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) ?? "";

describe("sandbox callbacks", () => {
  it("POSTs a signed order_payment callback that verifies with /_sandbox/public-key", async () => {
    const { id, accessToken } = await newOrder();
    const paid = await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    expect(paid.body).toMatchObject({
      order_id: id,
      status: "completed",
      callback: { delivered: true, httpStatus: 200 },
    });

    const [callback] = await receiver().waitFor(1);
    if (!callback) throw new Error("no callback");
    const key = await sandboxKey();
    expect(callback.headers["content-type"]).toBe("application/json");
    expect(
      verifyCallbackSignature(callback.raw, header(callback.headers["callback-signature"]), key),
    ).toBe(true);
    expect(
      verifyCallbackSignature(Buffer.from(id), header(callback.headers["callback-validator"]), key),
    ).toBe(true);

    const event = JSON.parse(callback.raw.toString("utf8"));
    expect(Object.keys(event)).toEqual(["event", "request_time", "zoned_request_time", "body"]);
    expect(event.event).toBe("order_payment");
    expect(event.zoned_request_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // The callback body is the payment details, exactly as the receipt endpoint gives them.
    const receipt = await get(sandbox(), `/payments/v1/receipt/${id}`, {
      authorization: `Bearer ${accessToken}`,
    });
    expect(event.body).toEqual(receipt.body);
    expect(event.body.order_status.key).toBe("completed");
  });

  it("signs raw UTF-8 bytes: Georgian text is not escaped, and one changed byte fails", async () => {
    const { id } = await newOrder();
    await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    const [callback] = await receiver().waitFor(1);
    if (!callback) throw new Error("no callback");
    expect(callback.raw.toString("utf8")).toContain("წარმატებული");
    const key = await sandboxKey();
    const tampered = Buffer.from(
      callback.raw.toString("utf8").replace('"completed"', '"rejected"'),
    );
    expect(
      verifyCallbackSignature(tampered, header(callback.headers["callback-signature"]), key),
    ).toBe(false);
  });

  it("reports a decline as rejected", async () => {
    const { id } = await newOrder();
    await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "rejected" });
    const [callback] = await receiver().waitFor(1);
    const event = JSON.parse(callback?.raw.toString("utf8") ?? "{}");
    expect(event.body.order_status.key).toBe("rejected");
    expect(event.body.reject_reason).toBe("unknown");
  });

  it("retries until the shop answers 200, re-sending the same bytes", async () => {
    receiver().respondWith([500, 503]);
    const { id } = await newOrder();
    const paid = await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    expect(paid.body.callback).toMatchObject({ delivered: false, httpStatus: 500 });
    const received = await receiver().waitFor(3);
    expect(received.map((r) => r.raw.toString("utf8"))).toEqual(
      Array(3).fill(received[0]?.raw.toString("utf8")),
    );
    await expect.poll(async () => (await stats(sandbox())).callbacksSent).toBe(1);
    expect((await stats(sandbox())).callbacksFailed).toBe(2);
    const { body } = await get(sandbox(), "/_sandbox/callbacks");
    expect(body.callbacks).toEqual([
      expect.objectContaining({
        orderId: id,
        status: "completed",
        attempts: 3,
        delivered: true,
        lastHttpStatus: 200,
      }),
    ]);
  });

  it("gives up after the configured retries", async () => {
    receiver().respondWith(Array(10).fill(500));
    const { id } = await newOrder();
    await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    await receiver().waitFor(1 + FAST_RETRIES.length);
    await expect
      .poll(async () => (await stats(sandbox())).callbacksFailed)
      .toBe(1 + FAST_RETRIES.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver().received).toHaveLength(1 + FAST_RETRIES.length);
    expect((await stats(sandbox())).callbacksSent).toBe(0);
  });

  it("retries a callback the shop could not be reached for", async () => {
    const { id } = await newOrder("http://127.0.0.1:1/unreachable");
    const paid = await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    expect(paid.body.callback).toMatchObject({
      delivered: false,
      httpStatus: null,
      error: "connection failed",
    });
    await expect
      .poll(async () => (await stats(sandbox())).callbacksFailed)
      .toBe(1 + FAST_RETRIES.length);
  });

  it("never sends to a host off this machine", async () => {
    const accessToken = await token(sandbox());
    const created = await createOrder(
      sandbox(),
      accessToken,
      validOrder("https://shop.example/callback"),
    );
    const paid = await post(sandbox(), `/_sandbox/orders/${created.body.id}/pay`, {
      outcome: "completed",
    });
    expect(paid.body.callback).toMatchObject({
      delivered: false,
      error: "not sent: the sandbox delivers callbacks to loopback hosts only",
    });
  });

  it("a reset cancels pending retries", async () => {
    await post(sandbox(), "/_sandbox/config", { callbackRetryDelaysMs: [200] });
    receiver().respondWith([500]);
    const { id } = await newOrder();
    await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    await post(sandbox(), "/_sandbox/reset", {});
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver().received).toHaveLength(1);
  });
});
