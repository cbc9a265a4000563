import { verify } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createOrder, get, post, token, validOrder } from "../support/bank-calls.js";
import type { ReceivedCallback } from "../support/callback-receiver.js";
import { useSandbox } from "../support/sandbox-fixture.js";

/**
 * Conformance with the bank's API document, section 4, "Callback": when the payment
 * system calls the business, how (POST to the order's callback_url, HTTP 200 as the
 * receipt), the Callback-Signature header, and the request's fields (event,
 * zoned_request_time, body), one test apiece, named after the document's field or rule.
 * The sandbox cannot sign with the bank's private key: it signs with its own, whose
 * public half it serves at `GET /_sandbox/public-key`.
 */

const { sandbox, receiver } = useSandbox();

type Json = Record<string, unknown>;

/** "YYYY-MM-DDTHH:MM:SS.ssssssZ", the document's format for zoned dates. */
const ZONED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

async function newOrder(overrides: Json = {}) {
  const accessToken = await token(sandbox());
  const answer = await createOrder(sandbox(), accessToken, validOrder(receiver().url, overrides));
  expect(answer.status, answer.text).toBe(200);
  return answer.body.id as string;
}

const holdOrder = () => newOrder({ capture: "manual", payment_method: ["card"] });

async function pay(id: string, outcome = "completed") {
  const answer = await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome });
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

/** A refund through the bank's API (`amount` a number; none for the whole amount). */
async function apiRefund(id: string, amount?: number) {
  const accessToken = await token(sandbox());
  const answer = await post(
    sandbox(),
    `/payments/v1/payment/refund/${id}`,
    amount === undefined ? "" : { amount },
    { authorization: `Bearer ${accessToken}` },
  );
  expect(answer.status, answer.text).toBe(200);
}

/** A refund from the Business Manager website (the sandbox's control; a decimal string). */
async function managerRefund(id: string, amount?: string) {
  const answer = await post(
    sandbox(),
    `/_sandbox/orders/${id}/refund`,
    amount === undefined ? {} : { amount },
  );
  expect(answer.status, answer.text).toBe(200);
}

/** The payment details from the bank's endpoint (Get Payment Details). */
async function details(id: string): Promise<Json> {
  const accessToken = await token(sandbox());
  const answer = await get(sandbox(), `/payments/v1/receipt/${id}`, {
    authorization: `Bearer ${accessToken}`,
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

const parse = (callback: ReceivedCallback | undefined) =>
  JSON.parse(callback?.raw.toString("utf8") ?? "{}") as {
    event: unknown;
    zoned_request_time: unknown;
    body: Json;
  };

const statusOf = (callback: ReceivedCallback | undefined) =>
  (parse(callback).body.order_status as { key: string }).key;

const signature = (callback: ReceivedCallback | undefined) => {
  const value = callback?.headers["callback-signature"];
  return (Array.isArray(value) ? value[0] : value) ?? "";
};

async function publicKeyPem() {
  const answer = await get(sandbox(), "/_sandbox/public-key");
  expect(answer.status).toBe(200);
  expect(answer.text).toContain("-----BEGIN PUBLIC KEY-----");
  return answer.text;
}

/** SHA256withRSA over `bytes`, checked with the public key, as the document asks the business to. */
const verifies = (bytes: Buffer, base64Signature: string, pem: string) =>
  verify("sha256", bytes, pem, Buffer.from(base64Signature, "base64"));

describe("4. Callback: when and how it is sent", () => {
  it("callback: sent with the POST method to the callback_url given when the order was requested", async () => {
    // A shop endpoint of this test's own, to see the method of each request.
    const seen: Array<{ method: string; url: string }> = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "" });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const first = await newOrder({ callback_url: `${base}/bog/callback?shop=first` });
      const second = await newOrder({ callback_url: `${base}/other/hook` });
      await pay(first);
      await pay(second, "rejected");
      expect(seen).toEqual([
        { method: "POST", url: "/bog/callback?shop=first" },
        { method: "POST", url: "/other/hook" },
      ]);
      // Nothing went to any other order's address.
      expect(receiver().received).toHaveLength(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("callback: sent when the payment is completed successfully", async () => {
    const id = await newOrder();
    // Not before: an order only created has nothing to report.
    expect(receiver().received).toHaveLength(0);
    await pay(id);
    const [callback] = await receiver().waitFor(1);
    expect(parse(callback).body.order_id).toBe(id);
    expect(statusOf(callback)).toBe("completed");
  });

  it("callback: sent when the payment is completed unsuccessfully", async () => {
    const id = await newOrder();
    await pay(id, "rejected");
    const [callback] = await receiver().waitFor(1);
    expect(parse(callback).body.order_id).toBe(id);
    expect(statusOf(callback)).toBe("rejected");
  });

  it("callback: sent when the amount is fully returned to the customer", async () => {
    const byApi = await newOrder();
    await pay(byApi);
    await apiRefund(byApi);
    const viaApi = await receiver().waitFor(2);
    expect(parse(viaApi[1]).body.order_id).toBe(byApi);
    expect(statusOf(viaApi[1])).toBe("refunded");

    // A refund from the Business Manager reaches the shop the same way.
    const byManager = await newOrder();
    await pay(byManager);
    await managerRefund(byManager);
    const viaManager = await receiver().waitFor(4);
    expect(parse(viaManager[3]).body.order_id).toBe(byManager);
    expect(statusOf(viaManager[3])).toBe("refunded");
  });

  it("callback: sent when the amount is partially returned to the customer", async () => {
    const id = await newOrder();
    await pay(id);
    await apiRefund(id, 8.5);
    await managerRefund(id, "1.50");
    const callbacks = await receiver().waitFor(3);
    expect(callbacks.map(statusOf)).toEqual([
      "completed",
      "refunded_partially",
      "refunded_partially",
    ]);
    expect(parse(callbacks[2]).body.purchase_units).toMatchObject({ refund_amount: "10.0" });
  });

  it("callback: the business returns HTTP CODE 200 to confirm successful receipt", async () => {
    const confirmed = await newOrder();
    const first = await pay(confirmed);
    expect(first.callback).toMatchObject({ delivered: true, httpStatus: 200 });
    const records = (await get(sandbox(), "/_sandbox/callbacks")).body.callbacks as Json[];
    expect(records).toEqual([
      expect.objectContaining({ orderId: confirmed, delivered: true, attempts: 1 }),
    ]);

    // Any other answer, a success code included, is not a confirmed receipt.
    for (const status of [201, 204, 500]) {
      receiver().received.length = 0;
      receiver().respondWith([status]);
      const id = await newOrder();
      const paid = await pay(id);
      expect(paid.callback, String(status)).toMatchObject({ delivered: false, httpStatus: status });
      // A sandbox reading: the document promises no retry; the sandbox sends the same bytes again.
      const [once, again] = await receiver().waitFor(2);
      expect(again?.raw.equals(once?.raw ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it("callback: not received successfully, Get Payment Details still gives the payment status", async () => {
    receiver().respondWith([500, 500, 500, 500]);
    const id = await newOrder();
    const paid = await pay(id);
    expect(paid.callback).toMatchObject({ delivered: false, httpStatus: 500 });
    await receiver().waitFor(4);
    const body = await details(id);
    expect(body.order_status).toMatchObject({ key: "completed" });
    expect(body.payment_detail).toMatchObject({ transfer_method: { key: "card" } });
  });
});

describe("4. Callback: header", () => {
  it("Callback-Signature: SHA256withRSA over the request body, verified with the public key", async () => {
    const pem = await publicKeyPem();
    const id = await newOrder();
    await pay(id);
    await apiRefund(id, 2);
    const hold = await holdOrder();
    await pay(hold, "rejected");
    const callbacks = await receiver().waitFor(3);
    for (const callback of callbacks) {
      const value = signature(callback);
      // Transmitted in Base64.
      expect(value).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(verifies(callback.raw, value, pem)).toBe(true);
    }
    // Each signature is for its own body.
    expect(verifies(callbacks[0]?.raw ?? Buffer.alloc(0), signature(callbacks[1]), pem)).toBe(
      false,
    );
  });

  it("Callback-Signature: a changed byte of the body fails verification", async () => {
    const pem = await publicKeyPem();
    const id = await newOrder();
    await pay(id);
    const [callback] = await receiver().waitFor(1);
    const raw = callback?.raw ?? Buffer.alloc(0);
    expect(verifies(raw, signature(callback), pem)).toBe(true);
    for (const at of [0, Math.floor(raw.length / 2), raw.length - 1]) {
      const changed = Buffer.from(raw);
      changed[at] = (changed[at] ?? 0) ^ 0x01;
      expect(verifies(changed, signature(callback), pem), `byte ${at}`).toBe(false);
    }
    const tampered = Buffer.from(raw.toString("utf8").replace('"completed"', '"rejected"'));
    expect(tampered.equals(raw)).toBe(false);
    expect(verifies(tampered, signature(callback), pem)).toBe(false);
  });

  it("Callback-Signature: verified before deserialization, the order of fields unchanged", async () => {
    const pem = await publicKeyPem();
    const id = await newOrder();
    await pay(id);
    const [callback] = await receiver().waitFor(1);
    const event = parse(callback) as unknown as Json;
    // The same data, written again with its fields in another order or with other spacing.
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    const rewritten = [
      Buffer.from(JSON.stringify(reordered)),
      Buffer.from(JSON.stringify(event, null, 2)),
      Buffer.from(
        JSON.stringify({
          ...event,
          body: Object.fromEntries(Object.entries(event.body as Json).reverse()),
        }),
      ),
    ];
    for (const bytes of rewritten) {
      expect(bytes.equals(callback?.raw ?? Buffer.alloc(0))).toBe(false);
      expect(verifies(bytes, signature(callback), pem)).toBe(false);
    }
    expect(verifies(callback?.raw ?? Buffer.alloc(0), signature(callback), pem)).toBe(true);
  });
});

describe("4. Callback: request fields", () => {
  it("event: a string, always order_payment", async () => {
    const paid = await newOrder();
    await pay(paid);
    await apiRefund(paid, 1);
    await apiRefund(paid);
    const declined = await newOrder();
    await pay(declined, "rejected");
    const callbacks = await receiver().waitFor(4);
    expect(callbacks.map(statusOf)).toEqual([
      "completed",
      "refunded_partially",
      "refunded",
      "rejected",
    ]);
    for (const callback of callbacks) expect(parse(callback).event).toBe("order_payment");
  });

  it('zoned_request_time: the date of sending in UTC, "YYYY-MM-DDTHH:MM:SS.ssssssZ"', async () => {
    const id = await newOrder();
    const before = Date.now();
    await pay(id);
    const after = Date.now();
    const [callback] = await receiver().waitFor(1);
    const sent = parse(callback).zoned_request_time;
    expect(typeof sent).toBe("string");
    expect(sent).toMatch(ZONED);
    expect(Date.parse(sent as string)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(sent as string)).toBeLessThanOrEqual(after);
  });

  it("body: an object, the order data with the payment details' fields", async () => {
    const id = await newOrder({ external_order_id: "basket-9" });
    await pay(id);
    const [paid] = await receiver().waitFor(1);
    const body = parse(paid).body;
    expect(typeof body).toBe("object");
    expect(body).toMatchObject({
      order_id: id,
      external_order_id: "basket-9",
      order_status: { key: "completed" },
    });
    // The very fields Get Payment Details gives for the order at that moment.
    expect(body).toEqual(await details(id));

    await apiRefund(id, 3);
    const [, refunded] = await receiver().waitFor(2);
    const after = parse(refunded).body;
    expect(after).toEqual(await details(id));
    expect(after.actions).toEqual([
      expect.objectContaining({ action: "partial_refund", status: "completed", amount: "3.0" }),
    ]);
  });
});
