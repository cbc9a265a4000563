import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createOrder, get, post, token, validOrder } from "./support/bank-calls.js";
import { FIXTURES_DIR } from "./support/paths.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();

/** The bank's real field order, from a genuine production callback. */
const genuine = JSON.parse(readFileSync(join(FIXTURES_DIR, "callback-1.body.json"), "utf8")).body;

async function newOrder(overrides: Record<string, unknown> = {}) {
  const accessToken = await token(sandbox());
  const created = await createOrder(sandbox(), accessToken, validOrder(receiver().url, overrides));
  const id = created.body.id as string;
  const read = () =>
    get(sandbox(), `/payments/v1/receipt/${id}`, { authorization: `Bearer ${accessToken}` });
  return { id, accessToken, read };
}

describe("sandbox payment details (receipt)", () => {
  it("has the genuine bank body's fields, in its order, with its nulls", async () => {
    const { id, read } = await newOrder();
    const { status, body } = await read();
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(Object.keys(genuine));
    expect(Object.keys(body.client as object)).toEqual(Object.keys(genuine.client));
    // The genuine callbacks have no code / code_description; the document lists both.
    expect(Object.keys(body.payment_detail as object)).toEqual([
      ...Object.keys(genuine.payment_detail),
      "code",
      "code_description",
    ]);
    expect(Object.keys(body.purchase_units as object)).toEqual(Object.keys(genuine.purchase_units));
    const items = (body.purchase_units as { items: object[] }).items;
    expect(Object.keys(items[0] as object)).toEqual(Object.keys(genuine.purchase_units.items[0]));
    expect(body).toMatchObject({
      order_id: id,
      external_order_id: "shop-order-1",
      order_status: { key: "created", value: "შექმნილი" },
      buyer: null,
      actions: null,
      disputes: null,
      split: null,
      discount: null,
      reject_reason: null,
      industry: "ecommerce",
      capture: "automatic",
      lang: "ka",
      redirect_links: { success: "http://127.0.0.1:9/success", fail: "http://127.0.0.1:9/fail" },
      purchase_units: {
        request_amount: "28.0",
        transfer_amount: "0.0",
        refund_amount: null,
        currency_code: "GEL",
      },
    });
    expect(items[0]).toMatchObject({
      external_item_id: "sku-cup",
      unit_price: "12.5",
      quantity: "2",
      unit_discount_price: "0.0",
      total_price: null,
      vat: null,
    });
  });

  it("writes dates like the bank: microseconds, UTC with Z and Tbilisi time without a zone", async () => {
    const { read } = await newOrder({ ttl: 20 });
    const { body } = await read();
    const zoned = body.zoned_create_date as string;
    expect(zoned).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(body.create_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(Date.parse(`${body.create_date}Z`) - Date.parse(zoned)).toBe(4 * 3600 * 1000);
    expect(Date.parse(body.zoned_expire_date as string) - Date.parse(zoned)).toBe(20 * 60 * 1000);
  });

  it("carries the buyer, the language and the bank's own receipt page as default redirect", async () => {
    const accessToken = await token(sandbox());
    const created = await createOrder(
      sandbox(),
      accessToken,
      validOrder(receiver().url, {
        redirect_urls: undefined,
        buyer: { full_name: "Nino B.", masked_email: "n***@example.ge" },
      }),
      { "accept-language": "en" },
    );
    const id = created.body.id as string;
    const { body } = await get(sandbox(), `/payments/v1/receipt/${id}`, {
      authorization: `Bearer ${accessToken}`,
    });
    expect(body.buyer).toEqual({
      full_name: "Nino B.",
      email: "n***@example.ge",
      phone_number: null,
    });
    expect(body.lang).toBe("en");
    expect(body.redirect_links).toEqual({
      success: `${sandbox().url}/receipt?order_id=${id}`,
      fail: `${sandbox().url}/receipt?order_id=${id}`,
    });
  });

  it("shows a completed payment's details", async () => {
    const { id, read } = await newOrder();
    await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
    const { body } = await read();
    expect(body.order_status).toEqual({ key: "completed", value: "წარმატებული" });
    expect(body.payment_detail).toMatchObject({
      transfer_method: { key: "card", value: "ბარათით გადახდა" },
      payment_option: "direct_debit",
      card_type: "mc",
    });
    expect((body.payment_detail as { payer_identifier: string }).payer_identifier).toMatch(
      /^\d{6}\*{3}\d{4}$/,
    );
    expect((body.purchase_units as { transfer_amount: string }).transfer_amount).toBe("28.0");
  });

  it.each([
    ["an unknown order", "3b241101-e2bb-4255-8caf-4136c566a962"],
    ["a non-UUID id", "not-an-order"],
    ["a path-traversal id", "..%2F..%2Fetc"],
  ])("400 Invalid order_id for %s", async (_case, id) => {
    const accessToken = await token(sandbox());
    const { status, body } = await get(sandbox(), `/payments/v1/receipt/${id}`, {
      authorization: `Bearer ${accessToken}`,
    });
    expect(status).toBe(400);
    expect(body).toEqual({ message: "Invalid order_id" });
  });

  it("401 without a Bearer token", async () => {
    const { id } = await newOrder();
    const { status } = await get(sandbox(), `/payments/v1/receipt/${id}`);
    expect(status).toBe(401);
  });
});
