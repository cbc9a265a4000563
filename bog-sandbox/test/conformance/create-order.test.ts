import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { basic, createOrder, get, post, stats, token, validOrder } from "../support/bank-calls.js";
import { useSandbox } from "../support/sandbox-fixture.js";

/**
 * Conformance with the bank's API document, section 2, "Create order": each header,
 * body field, enumeration, required/optional mark and stated rule, one test apiece,
 * named after the document's field. Both sides of a rule are tried: what the document
 * allows is accepted, what it rules out is refused with a 400 whose message names the
 * field. The document gives no error format or status; the sandbox's `{"message"}`
 * with the field's path is its reading (the bank's observed shape).
 *
 * The sandbox refuses a total that differs from the basket plus delivery (a sandbox
 * reading), so every accepted body here keeps its total right.
 */

const { sandbox, receiver } = useSandbox();

type Json = Record<string, unknown>;

const ORDERS = "/payments/v1/ecommerce/orders";

async function create(overrides: Json = {}, headers: Record<string, string> = {}) {
  const accessToken = await token(sandbox());
  return createOrder(sandbox(), accessToken, validOrder(receiver().url, overrides), headers);
}

/** Creates the order; it must be accepted. Returns its id. */
async function accepted(overrides: Json = {}, headers: Record<string, string> = {}) {
  const answer = await create(overrides, headers);
  expect(answer.status, answer.text).toBe(200);
  expect(typeof answer.body.id).toBe("string");
  return answer.body.id as string;
}

/** The refusal's problems: the sandbox joins them with "; ", each starting with a field's path. */
const problems = (body: Json) => String(body.message ?? "").split("; ");

/** Creates the order; it must be refused with 400 and a message that names `field`. */
async function refused(overrides: Json, field: string, headers: Record<string, string> = {}) {
  const answer = await create(overrides, headers);
  expect(answer.status, answer.text).toBe(400);
  expect(
    problems(answer.body).some((p) => p.startsWith(`${field} `)),
    `the message names ${field}: ${answer.text}`,
  ).toBe(true);
  expect(answer.body.id).toBeUndefined();
}

/** The payment details, through the sandbox's control (no token needed). */
const receipt = async (id: string) => (await get(sandbox(), `/_sandbox/orders/${id}`)).body;
/** What the sandbox kept of the request (the options the payment details do not show). */
const requestOf = async (id: string) =>
  (await get(sandbox(), `/_sandbox/orders/${id}/request`)).body;
const statusOf = async (id: string) => ((await receipt(id)).order_status as { key: string }).key;
const payControl = (id: string, body: Json) => post(sandbox(), `/_sandbox/orders/${id}/pay`, body);

/** The payment page the customer is sent to (`_links.redirect.href`), as HTML. */
async function paymentPage(id: string) {
  const page = await get(sandbox(), `/?order_id=${id}`);
  expect(page.status).toBe(200);
  return page.text;
}

/** purchase_units with one basket line (1 × 10.00) plus `item`, total `total`. */
function oneItem(item: Json = {}, total = 10, units: Json = {}) {
  return {
    purchase_units: {
      currency: "GEL",
      total_amount: total,
      basket: [{ product_id: "sku-1", quantity: 1, unit_price: 10, ...item }],
      ...units,
    },
  };
}

const LOAN = { loan: { type: "zero-12", month: 12 } };

describe("2. Create order: header parameters", () => {
  it("Content-Type: required, application/json", async () => {
    const accessToken = await token(sandbox());
    const json = await createOrder(sandbox(), accessToken, validOrder(receiver().url), {
      "content-type": "application/json",
    });
    expect(json.status, json.text).toBe(200);

    for (const contentType of ["text/plain", "application/x-www-form-urlencoded"]) {
      const answer = await createOrder(sandbox(), accessToken, validOrder(receiver().url), {
        "content-type": contentType,
      });
      // The document gives no status; 415 (HTTP's unsupported media type) is a sandbox reading.
      expect(answer.status, contentType).toBe(415);
      expect(answer.body.message).toContain("Content-Type");
    }
    expect((await stats(sandbox())).ordersCreated).toBe(1);
  });

  it("Authorization: required, Bearer <jwt_token> (the authentication method's access_token)", async () => {
    const accessToken = await token(sandbox());
    const ok = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    expect(ok.status, ok.text).toBe(200);

    for (const authorization of [
      "",
      `Bearer ${accessToken}x`,
      basic(sandbox().clientId, sandbox().clientSecret),
      accessToken,
    ]) {
      const answer = await post(sandbox(), ORDERS, validOrder(receiver().url), { authorization });
      expect(answer.status, authorization).toBe(401);
      expect(answer.body.id).toBeUndefined();
    }
    expect((await stats(sandbox())).ordersCreated).toBe(1);
  });

  it("Idempotency-Key: optional; without it each request is a new order", async () => {
    const first = await accepted();
    const second = await accepted();
    expect(second).not.toBe(first);
    expect((await stats(sandbox())).ordersCreated).toBe(2);
  });

  it("Idempotency-Key: the same key returns the same status code and response body", async () => {
    const key = { "idempotency-key": randomUUID() };
    const first = await create({}, key);
    expect(first.status, first.text).toBe(200);
    // Even with another body: the server answers as it did to the initial request.
    const again = await create({ external_order_id: "another" }, key);
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect((await stats(sandbox())).ordersCreated).toBe(1);

    const other = await create({}, { "idempotency-key": randomUUID() });
    expect(other.status).toBe(200);
    expect(other.body.id).not.toBe(first.body.id);
    expect((await stats(sandbox())).ordersCreated).toBe(2);
  });

  it("Idempotency-Key: a refused initial request is answered the same again", async () => {
    const key = { "idempotency-key": randomUUID() };
    const first = await create({ callback_url: undefined }, key);
    expect(first.status).toBe(400);
    const again = await create({}, key);
    expect(again.status).toBe(400);
    expect(again.text).toBe(first.text);
    expect((await stats(sandbox())).ordersCreated).toBe(0);
  });

  it("Idempotency-Key: UUID v4", async () => {
    await accepted({}, { "idempotency-key": "1b4e28ba-2fa1-41d2-883f-0016d3cca427" });
    // Refusing a key that is not a UUID v4 is a sandbox reading of the document's type.
    for (const key of ["order-1", "1b4e28ba-2fa1-11d2-883f-0016d3cca427"]) {
      const answer = await create({}, { "idempotency-key": key });
      expect(answer.status, key).toBe(400);
      expect(answer.body.message).toContain("Idempotency-Key");
    }
  });

  it("Accept-Language: optional, ka (default) or en", async () => {
    const en = await accepted({}, { "accept-language": "en" });
    expect((await receipt(en)).lang).toBe("en");
    expect(await paymentPage(en)).toContain('<html lang="en">');

    const ka = await accepted({}, { "accept-language": "ka" });
    expect((await receipt(ka)).lang).toBe("ka");
    expect(await paymentPage(ka)).toContain('<html lang="ka">');

    // Node's fetch sends "Accept-Language: *" when none is set: no preference, so the default.
    const unset = await accepted();
    expect((await receipt(unset)).lang).toBe("ka");
    expect(await paymentPage(unset)).toContain('<html lang="ka">');
  });

  it("Accept-Language: the possible values are ka and en", async () => {
    for (const language of ["de", "ru", "fr"]) {
      await refused({}, "header Accept-Language", { "accept-language": language });
    }
  });

  it("Theme: optional, light (default) or dark", async () => {
    const dark = await accepted({}, { theme: "dark" });
    expect(await paymentPage(dark)).toContain("color-scheme: dark;");
    const light = await accepted({}, { theme: "light" });
    expect(await paymentPage(light)).toContain("color-scheme: light;");
    const unset = await accepted();
    expect(await paymentPage(unset)).toContain("color-scheme: light;");
  });

  it("Theme: the possible values are light and dark", async () => {
    for (const theme of ["blue", "contrast"]) await refused({}, "header Theme", { theme });
  });
});

describe("2. Create order: body parameters", () => {
  it("the document's CURL example body is accepted", async () => {
    const accessToken = await token(sandbox());
    const answer = await createOrder(
      sandbox(),
      accessToken,
      {
        callback_url: "https://example.com/callback",
        external_order_id: "id123",
        purchase_units: {
          currency: "GEL",
          total_amount: 1,
          basket: [{ quantity: 1, unit_price: 1, product_id: "product123" }],
        },
        redirect_urls: {
          fail: "https://example.com/fail",
          success: "https://example.com/success",
        },
      },
      { "accept-language": "ka" },
    );
    expect(answer.status, answer.text).toBe(200);
    expect(typeof answer.body.id).toBe("string");
  });

  it('application_type: optional, "web" | "mobile"', async () => {
    for (const type of ["web", "mobile"]) {
      const id = await accepted({ application_type: type });
      expect((await requestOf(id)).application_type).toBe(type);
    }
    expect((await requestOf(await accepted())).application_type ?? null).toBeNull();
    await refused({ application_type: "desktop" }, "application_type");
    await refused({ application_type: 1 }, "application_type");
  });

  it("buyer: optional, an object", async () => {
    expect((await receipt(await accepted())).buyer).toBeNull();
    const id = await accepted({
      buyer: { full_name: "Nino B.", masked_email: "n***@example.ge", masked_phone: "+995***01" },
    });
    // Payment details name them buyer.full_name, buyer.email and buyer.phone_number.
    expect((await receipt(id)).buyer).toEqual({
      full_name: "Nino B.",
      email: "n***@example.ge",
      phone_number: "+995***01",
    });
    await refused({ buyer: "Nino B." }, "buyer");
    await refused({ buyer: ["Nino B."] }, "buyer");
  });

  it.each([
    ["buyer.full_name", "full_name", "Nino B.", "full_name"],
    ["buyer.masked_email", "masked_email", "n***@example.ge", "email"],
    ["buyer.masked_phone", "masked_phone", "+995***01", "phone_number"],
  ])("%s: optional, a string", async (field, key, value, shown) => {
    const only = await accepted({ buyer: { [key]: value } });
    expect((await receipt(only)).buyer).toMatchObject({ [shown]: value });
    await accepted({ buyer: {} });
    await refused({ buyer: { [key]: 12 } }, field);
    await refused({ buyer: { [key]: { value } } }, field);
  });

  it("callback_url: required, a string", async () => {
    await accepted({ callback_url: receiver().url });
    await refused({ callback_url: undefined }, "callback_url");
    await refused({ callback_url: "" }, "callback_url");
    await refused({ callback_url: 443 }, "callback_url");
  });

  it("callback_url: must be HTTPS", async () => {
    await accepted({ callback_url: "https://shop.example/bog/callback" });
    await refused({ callback_url: "http://shop.example/bog/callback" }, "callback_url");
    await refused({ callback_url: "ftp://shop.example/bog/callback" }, "callback_url");
    await refused({ callback_url: "shop.example/bog/callback" }, "callback_url");
    // A sandbox reading: plain http is accepted for loopback hosts, where a shop runs under test.
    await accepted({ callback_url: "http://127.0.0.1:9/callback" });
    await accepted({ callback_url: "http://localhost:9/callback" });
  });

  it("external_order_id: optional, a string", async () => {
    expect(
      (await receipt(await accepted({ external_order_id: "basket-77" }))).external_order_id,
    ).toBe("basket-77");
    expect(
      (await receipt(await accepted({ external_order_id: undefined }))).external_order_id,
    ).toBeNull();
    await refused({ external_order_id: 77 }, "external_order_id");
  });

  it('capture: optional, "automatic" | "manual"; a standard order by default', async () => {
    const unset = await accepted();
    expect((await receipt(unset)).capture).toBe("automatic");
    const automatic = await accepted({ capture: "automatic" });
    expect((await receipt(automatic)).capture).toBe("automatic");
    const manual = await accepted({ capture: "manual", payment_method: ["card"] });
    expect((await receipt(manual)).capture).toBe("manual");
    await refused({ capture: "delayed" }, "capture");
    await refused({ capture: true }, "capture");
  });

  it("capture automatic: paid without pre-authorization, the amount withdrawn at once", async () => {
    const id = await accepted({ capture: "automatic" });
    expect((await payControl(id, { outcome: "completed" })).status).toBe(200);
    const details = await receipt(id);
    expect(details.order_status).toMatchObject({ key: "completed" });
    expect(details.purchase_units).toMatchObject({ transfer_amount: "28.0" });
  });

  it("capture manual: after payment the amount is blocked until confirmed or rejected", async () => {
    const accessToken = await token(sandbox());
    const auth = { authorization: `Bearer ${accessToken}` };
    const order = async () => {
      const answer = await createOrder(
        sandbox(),
        accessToken,
        validOrder(receiver().url, { capture: "manual", payment_method: ["card"] }),
      );
      const id = answer.body.id as string;
      expect((await payControl(id, { outcome: "completed" })).status).toBe(200);
      expect(await statusOf(id)).toBe("blocked");
      return id;
    };
    const confirmed = await order();
    const approve = await post(
      sandbox(),
      `/payments/v1/payment/authorization/approve/${confirmed}`,
      "",
      auth,
    );
    expect(approve.status, approve.text).toBe(200);
    expect(await statusOf(confirmed)).toBe("completed");

    const rejected = await order();
    const cancel = await post(
      sandbox(),
      `/payments/v1/payment/authorization/cancel/${rejected}`,
      "",
      auth,
    );
    expect(cancel.status, cancel.text).toBe(200);
    expect(await statusOf(rejected)).toBe("rejected");
  });

  it("capture manual: only for Apple Pay, Google Pay or card payments", async () => {
    for (const methods of [
      ["card"],
      ["google_pay"],
      ["apple_pay"],
      ["card", "google_pay", "apple_pay"],
    ]) {
      await accepted({ capture: "manual", payment_method: methods });
    }
    for (const methods of [
      ["bog_p2p"],
      ["bog_loyalty"],
      ["gift_card"],
      ["card", "bog_p2p"],
      ["apple_pay", "bnpl"],
    ]) {
      await refused({ capture: "manual", payment_method: methods }, "capture");
    }
    await refused({ capture: "manual", payment_method: ["bog_loan"], config: LOAN }, "capture");
    await refused({ capture: "manual", payment_method: ["bnpl"], config: LOAN }, "capture");
    // A sandbox reading: with no payment_method every method is offered, so a hold must name them.
    await refused({ capture: "manual" }, "capture");
  });

  it("capture manual: a hold not confirmed within 30 days is unblocked", async () => {
    const id = await accepted({ capture: "manual", payment_method: ["card"] });
    expect((await payControl(id, { outcome: "completed" })).status).toBe(200);
    await receiver().waitFor(1);
    const THIRTY_DAYS = 30 * 24 * 60 * 60;

    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: THIRTY_DAYS - 60 });
    const held = await receipt(id);
    expect(held.order_status).toMatchObject({ key: "blocked" });
    expect(held.purchase_units).toMatchObject({ transfer_amount: "28.0" });

    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 61 });
    // Read as the shop would, with a token issued now (the first one has long expired).
    const accessToken = await token(sandbox());
    const released = (
      await get(sandbox(), `/payments/v1/receipt/${id}`, { authorization: `Bearer ${accessToken}` })
    ).body;
    // The sandbox's reading of "unblocked": rejected, expiration, nothing charged, a support action.
    expect(released.order_status).toMatchObject({ key: "rejected" });
    expect(released.reject_reason).toBe("expiration");
    expect(released.purchase_units).toMatchObject({ transfer_amount: "0.0" });
    expect(released.actions).toEqual([
      expect.objectContaining({
        request_channel: "support",
        action: "cancel_authorize",
        status: "completed",
        amount: "28.0",
      }),
    ]);
    // A sandbox reading: the document promises no callback for it; only the payment's was sent.
    expect(receiver().received).toHaveLength(1);
  });

  it("purchase_units: required, an object", async () => {
    await refused({ purchase_units: undefined }, "purchase_units");
    await refused({ purchase_units: "28 GEL" }, "purchase_units");
    await refused({ purchase_units: [] }, "purchase_units");
  });

  it("purchase_units.basket: required, an array", async () => {
    await accepted(oneItem());
    await refused(
      { purchase_units: { currency: "GEL", total_amount: 10 } },
      "purchase_units.basket",
    );
    await refused(
      {
        purchase_units: {
          total_amount: 10,
          basket: { product_id: "a", quantity: 1, unit_price: 10 },
        },
      },
      "purchase_units.basket",
    );
    // A sandbox reading: an empty basket buys nothing and is refused.
    await refused({ purchase_units: { total_amount: 10, basket: [] } }, "purchase_units.basket");
  });

  it("purchase_units.basket[].product_id: required, a string", async () => {
    const id = await accepted(oneItem({ product_id: "sku-42" }));
    const items = ((await receipt(id)).purchase_units as { items: Json[] }).items;
    expect(items[0]?.external_item_id).toBe("sku-42");
    await refused(oneItem({ product_id: undefined }), "purchase_units.basket[0].product_id");
    await refused(oneItem({ product_id: 42 }), "purchase_units.basket[0].product_id");
  });

  it("purchase_units.basket[].description: optional, a string", async () => {
    const named = await accepted(oneItem({ description: "Espresso cup" }));
    expect(((await receipt(named)).purchase_units as { items: Json[] }).items[0]).toMatchObject({
      description: "Espresso cup",
    });
    await accepted(oneItem({ description: undefined }));
    await refused(oneItem({ description: 7 }), "purchase_units.basket[0].description");
  });

  it("purchase_units.basket[].quantity: required, a number, minimum 1", async () => {
    await accepted(oneItem({ quantity: 1 }, 10));
    const three = await accepted(oneItem({ quantity: 3 }, 30));
    expect(((await receipt(three)).purchase_units as { items: Json[] }).items[0]).toMatchObject({
      quantity: "3",
    });
    await refused(oneItem({ quantity: undefined }), "purchase_units.basket[0].quantity");
    await refused(oneItem({ quantity: "1" }), "purchase_units.basket[0].quantity");
    await refused(oneItem({ quantity: 0 }, 0.01), "purchase_units.basket[0].quantity");
    await refused(oneItem({ quantity: -1 }, 0.01), "purchase_units.basket[0].quantity");
    await refused(oneItem({ quantity: 0.5 }, 5), "purchase_units.basket[0].quantity");
  });

  it("purchase_units.basket[].unit_price: required, a number", async () => {
    const id = await accepted(oneItem({ unit_price: 12.5 }, 12.5));
    expect(((await receipt(id)).purchase_units as { items: Json[] }).items[0]).toMatchObject({
      unit_price: "12.5",
    });
    await refused(oneItem({ unit_price: undefined }), "purchase_units.basket[0].unit_price");
    await refused(oneItem({ unit_price: "10" }), "purchase_units.basket[0].unit_price");
  });

  it("purchase_units.basket[].unit_discount_price: optional, a number", async () => {
    // The discounted line counts in the total: 1 × (10 − 2.5) (the total rule is a sandbox reading).
    const id = await accepted(oneItem({ unit_discount_price: 2.5 }, 7.5));
    expect(((await receipt(id)).purchase_units as { items: Json[] }).items[0]).toMatchObject({
      unit_discount_price: "2.5",
    });
    await refused(
      oneItem({ unit_discount_price: "2.5" }, 7.5),
      "purchase_units.basket[0].unit_discount_price",
    );
  });

  it.each([
    ["vat", 1.53, "1.53"],
    ["vat_percent", 18, "18"],
    ["total_price", 10, "10.0"],
  ])("purchase_units.basket[].%s: optional, a number", async (key, value, shown) => {
    const id = await accepted(oneItem({ [key]: value }));
    expect(((await receipt(id)).purchase_units as { items: Json[] }).items[0]).toMatchObject({
      [key]: shown,
    });
    await accepted(oneItem({ [key]: undefined }));
    await refused(oneItem({ [key]: String(value) }), `purchase_units.basket[0].${key}`);
  });

  it.each([
    ["image", "https://shop.example/cup.png"],
    ["package_code", "A000123"],
    ["tin", "206322102"],
    ["pinfl", "30101901234567"],
    ["product_discount_id", "BF222R5"],
  ])("purchase_units.basket[].%s: optional, a string", async (key, value) => {
    const id = await accepted(oneItem({ [key]: value }));
    if (key === "image") {
      // image is not among the payment details' items; the sandbox's request view keeps it.
      expect(((await requestOf(id)).basket as Json[])[0]).toMatchObject({ image: value });
    } else {
      expect(((await receipt(id)).purchase_units as { items: Json[] }).items[0]).toMatchObject({
        [key]: value,
      });
    }
    await accepted(oneItem({ [key]: undefined }));
    await refused(oneItem({ [key]: 123 }), `purchase_units.basket[0].${key}`);
  });

  it("purchase_units.basket[]: every field the document lists is accepted together", async () => {
    const item = {
      product_id: "sku-cup",
      description: "Espresso cup",
      quantity: 2,
      unit_price: 12.5,
      unit_discount_price: 2.5,
      vat: 3.05,
      vat_percent: 18,
      total_price: 20,
      image: "https://shop.example/cup.png",
      package_code: "A000123",
      tin: "206322102",
      pinfl: "30101901234567",
      product_discount_id: "BF222R5",
    };
    const id = await accepted({
      purchase_units: {
        currency: "GEL",
        total_amount: 25,
        total_discount_amount: 5,
        delivery: { amount: 5 },
        basket: [item],
      },
    });
    // image is not among the payment details' items; the sandbox's request view keeps it.
    expect(((await requestOf(id)).basket as Json[])[0]).toMatchObject({ image: item.image });
    expect(((await receipt(id)).purchase_units as { items: Json[] }).items[0]).toEqual({
      external_item_id: "sku-cup",
      description: "Espresso cup",
      quantity: "2",
      unit_price: "12.5",
      unit_discount_price: "2.5",
      vat: "3.05",
      vat_percent: "18",
      total_price: "20.0",
      package_code: "A000123",
      tin: "206322102",
      pinfl: "30101901234567",
      product_discount_id: "BF222R5",
    });
  });

  it("purchase_units.delivery: optional, an object; delivery.amount optional, a number", async () => {
    // The fee is part of what is paid: 10 + 4.5 (the total rule is a sandbox reading).
    const id = await accepted(oneItem({}, 14.5, { delivery: { amount: 4.5 } }));
    expect((await receipt(id)).purchase_units).toMatchObject({ request_amount: "14.5" });
    await accepted(oneItem({}, 10, { delivery: {} }));
    await accepted(oneItem({}, 10, { delivery: undefined }));
    await refused(oneItem({}, 14.5, { delivery: 4.5 }), "purchase_units.delivery");
    await refused(
      oneItem({}, 14.5, { delivery: { amount: "4.5" } }),
      "purchase_units.delivery.amount",
    );
  });

  it("purchase_units.total_amount: required, a number", async () => {
    const id = await accepted(oneItem({}, 10));
    expect((await receipt(id)).purchase_units).toMatchObject({ request_amount: "10.0" });
    const basket = [{ product_id: "sku-1", quantity: 1, unit_price: 10 }];
    await refused({ purchase_units: { currency: "GEL", basket } }, "purchase_units.total_amount");
    await refused(
      { purchase_units: { currency: "GEL", basket, total_amount: "10" } },
      "purchase_units.total_amount",
    );
  });

  it("purchase_units.total_discount_amount: optional, a number", async () => {
    await accepted(oneItem({ unit_discount_price: 1 }, 9, { total_discount_amount: 1 }));
    await accepted(oneItem({}, 10, { total_discount_amount: undefined }));
    await refused(
      oneItem({}, 10, { total_discount_amount: "1" }),
      "purchase_units.total_discount_amount",
    );
  });

  it("purchase_units.currency: GEL, USD, EUR or GBP; GEL by default", async () => {
    for (const currency of ["GEL", "USD", "EUR", "GBP"]) {
      const id = await accepted(oneItem({}, 10, { currency }));
      expect((await receipt(id)).purchase_units).toMatchObject({ currency_code: currency });
    }
    const unset = await accepted(oneItem({}, 10, { currency: undefined }));
    expect((await receipt(unset)).purchase_units).toMatchObject({ currency_code: "GEL" });
    for (const currency of ["JPY", "gel", "Lari", 981]) {
      await refused(oneItem({}, 10, { currency }), "purchase_units.currency");
    }
  });

  it("redirect_urls: optional, an object; success and fail optional strings", async () => {
    const both = await accepted({
      redirect_urls: { success: "https://shop.example/ok", fail: "https://shop.example/fail" },
    });
    expect((await receipt(both)).redirect_links).toEqual({
      success: "https://shop.example/ok",
      fail: "https://shop.example/fail",
    });
    const onlySuccess = await accepted({ redirect_urls: { success: "https://shop.example/ok" } });
    expect((await receipt(onlySuccess)).redirect_links).toMatchObject({
      success: "https://shop.example/ok",
    });
    const onlyFail = await accepted({ redirect_urls: { fail: "https://shop.example/fail" } });
    expect((await receipt(onlyFail)).redirect_links).toMatchObject({
      fail: "https://shop.example/fail",
    });
    await refused({ redirect_urls: "https://shop.example/ok" }, "redirect_urls");
    await refused({ redirect_urls: { success: 1 } }, "redirect_urls.success");
    await refused({ redirect_urls: { fail: true } }, "redirect_urls.fail");
  });

  it("redirect_urls.success / fail: if empty, the customer stays on the payment page, shown a receipt", async () => {
    for (const redirect_urls of [undefined, {}, { success: "", fail: "" }]) {
      const id = await accepted({ redirect_urls });
      const links = (await receipt(id)).redirect_links as { success: string; fail: string };
      // The payment system's own receipt page, as in the document's example answer.
      expect(links.success).toBe(`${sandbox().url}/receipt?order_id=${id}`);
      expect(links.fail).toBe(`${sandbox().url}/receipt?order_id=${id}`);
      // The customer pays on the page and lands on that receipt (fetch follows the redirect).
      const paid = await post(sandbox(), `/payment/${id}`, "outcome=completed&method=card", {
        "content-type": "application/x-www-form-urlencoded",
      });
      expect(paid.status).toBe(200);
      expect(paid.text).toContain('data-status="completed"');
    }
  });

  it("ttl: minimum 2, maximum 1440, default 15 minutes", async () => {
    const minutes = async (id: string) => {
      const details = await receipt(id);
      return (
        (Date.parse(details.zoned_expire_date as string) -
          Date.parse(details.zoned_create_date as string)) /
        60_000
      );
    };
    expect(await minutes(await accepted({ ttl: 2 }))).toBe(2);
    expect(await minutes(await accepted({ ttl: 1440 }))).toBe(1440);
    expect(await minutes(await accepted({ ttl: 30 }))).toBe(30);
    expect(await minutes(await accepted())).toBe(15);
    for (const ttl of [1, 0, -5, 1441, 10_000]) await refused({ ttl }, "ttl");
  });

  it("ttl: a number of minutes", async () => {
    await refused({ ttl: "15" }, "ttl");
    await refused({ ttl: true }, "ttl");
  });

  it("ttl: the number of minutes a customer will be able to pay", async () => {
    const late = await accepted({ ttl: 2 });
    const inTime = await accepted({ ttl: 2 });
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 115 });
    expect((await payControl(inTime, { outcome: "completed" })).status).toBe(200);
    expect(await statusOf(inTime)).toBe("completed");

    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 10 });
    const refusedPay = await payControl(late, { outcome: "completed" });
    expect(refusedPay.status).toBe(409);
    const details = await receipt(late);
    expect(details.order_status).toMatchObject({ key: "rejected" });
    expect(details.reject_reason).toBe("expiration");
  });

  it("payment_method: optional, an array of card, google_pay, apple_pay, bog_p2p, bog_loyalty, bnpl, bog_loan, gift_card", async () => {
    for (const method of [
      "card",
      "google_pay",
      "apple_pay",
      "bog_p2p",
      "bog_loyalty",
      "gift_card",
    ]) {
      const id = await accepted({ payment_method: [method] });
      expect((await requestOf(id)).payment_method).toEqual([method]);
    }
    for (const method of ["bnpl", "bog_loan"]) {
      const id = await accepted({ payment_method: [method], config: LOAN });
      expect((await requestOf(id)).payment_method).toEqual([method]);
    }
    const all = [
      "card",
      "google_pay",
      "apple_pay",
      "bog_p2p",
      "bog_loyalty",
      "bnpl",
      "bog_loan",
      "gift_card",
    ];
    expect((await requestOf(await accepted({ payment_method: all }))).payment_method).toEqual(all);

    await refused({ payment_method: ["paypal"] }, "payment_method[0]");
    await refused({ payment_method: ["card", "Card"] }, "payment_method[1]");
    await refused({ payment_method: "card" }, "payment_method");
  });

  it("payment_method: left empty, the customer can use every payment method", async () => {
    const transferMethods = [
      "card",
      "google_pay",
      "apple_pay",
      "bog_p2p",
      "bog_loyalty",
      "bnpl",
      "bog_loan",
    ];
    for (const payment_method of [undefined, []]) {
      for (const method of transferMethods) {
        const id = await accepted({ payment_method });
        const paid = await payControl(id, { outcome: "completed", paymentMethod: method });
        expect(paid.status, `${method}: ${paid.text}`).toBe(200);
        const details = await receipt(id);
        expect(details.order_status).toMatchObject({ key: "completed" });
        expect(details.payment_detail).toMatchObject({ transfer_method: { key: method } });
      }
    }
  });

  it("payment_method: the customer can use only the methods given", async () => {
    const id = await accepted({ payment_method: ["bog_p2p", "bog_loyalty"] });
    for (const method of ["card", "google_pay", "apple_pay", "bnpl", "bog_loan"]) {
      const answer = await payControl(id, { outcome: "completed", paymentMethod: method });
      expect(answer.status, method).toBe(400);
      expect(answer.body.message).toContain(method);
    }
    expect(await statusOf(id)).toBe("created");
    expect(
      (await payControl(id, { outcome: "completed", paymentMethod: "bog_loyalty" })).status,
    ).toBe(200);
    expect((await receipt(id)).payment_detail).toMatchObject({
      transfer_method: { key: "bog_loyalty" },
    });
  });

  it.each([
    ["google_pay", "Google Pay"],
    ["apple_pay", "Apple Pay"],
  ])("payment_method: %s lets the customer pay by a bank card too", async (wallet) => {
    const byWallet = await accepted({ payment_method: [wallet] });
    expect(
      (await payControl(byWallet, { outcome: "completed", paymentMethod: wallet })).status,
    ).toBe(200);
    expect((await receipt(byWallet)).payment_detail).toMatchObject({
      transfer_method: { key: wallet },
    });

    const byCard = await accepted({ payment_method: [wallet] });
    const paid = await payControl(byCard, { outcome: "completed", paymentMethod: "card" });
    expect(paid.status, paid.text).toBe(200);
    expect((await receipt(byCard)).payment_detail).toMatchObject({
      transfer_method: { key: "card" },
    });

    // Only a bank card comes with it; and card alone does not bring the wallet.
    const other = await payControl(await accepted({ payment_method: [wallet] }), {
      outcome: "completed",
      paymentMethod: "bog_p2p",
    });
    expect(other.status).toBe(400);
    const cardOnly = await payControl(await accepted({ payment_method: ["card"] }), {
      outcome: "completed",
      paymentMethod: wallet,
    });
    expect(cardOnly.status).toBe(400);
    expect(cardOnly.body.message).toContain(wallet);
  });

  it("config: optional, an object", async () => {
    await accepted({ config: undefined });
    await accepted({ config: {} });
    await refused({ config: "loan" }, "config");
    await refused({ config: [LOAN] }, "config");
  });

  it.each(["bog_loan", "bnpl"])(
    'config.loan: necessary for payment_method ["%s"] only; type and month each optional',
    async (method) => {
      await refused({ payment_method: [method] }, "config.loan");
      await refused({ payment_method: [method], config: {} }, "config.loan");
      for (const loan of [{ type: "zero-12", month: 12 }, { type: "zero-12" }, { month: 6 }, {}]) {
        const id = await accepted({ payment_method: [method], config: { loan } });
        expect(((await requestOf(id)).config as Json).loan).toMatchObject(loan);
      }
      // Only when it is the only method: with another one, the loan is not necessary.
      await accepted({ payment_method: [method, "card"] });
      await accepted({ payment_method: ["card"] });
      await accepted();
    },
  );

  it("config.loan.type: optional, a string (the calculator's discount_code)", async () => {
    await accepted({ payment_method: ["bog_loan"], config: { loan: { type: "zero-12" } } });
    await refused(
      { payment_method: ["bog_loan"], config: { loan: { type: 12 } } },
      "config.loan.type",
    );
  });

  it("config.loan.month: optional, a number (the calculator's month)", async () => {
    await accepted({ payment_method: ["bnpl"], config: { loan: { month: 4 } } });
    await refused(
      { payment_method: ["bnpl"], config: { loan: { month: "4" } } },
      "config.loan.month",
    );
  });

  it("config.campaign: optional; card and type each optional", async () => {
    for (const campaign of [
      { card: "visa" },
      { type: "restrict" },
      {},
      { card: "mc", type: "client_discount" },
    ]) {
      const id = await accepted({ config: { campaign } });
      expect(((await requestOf(id)).config as Json).campaign).toMatchObject(campaign);
    }
    await refused({ config: { campaign: "visa" } }, "config.campaign");
  });

  it("config.campaign.card: visa, mc or solo", async () => {
    for (const card of ["visa", "mc", "solo"]) await accepted({ config: { campaign: { card } } });
    for (const card of ["amex", "VISA", "maestro"]) {
      await refused({ config: { campaign: { card } } }, "config.campaign.card");
    }
  });

  it("config.campaign.type: restrict or client_discount", async () => {
    for (const type of ["restrict", "client_discount"])
      await accepted({ config: { campaign: { type } } });
    for (const type of ["cashback", "discount"]) {
      await refused({ config: { campaign: { type } } }, "config.campaign.type");
    }
  });

  it("config.campaign.type restrict: a card type restriction", async () => {
    const id = await accepted({ config: { campaign: { card: "visa", type: "restrict" } } });
    const mc = await payControl(id, { outcome: "completed", cardType: "mc" });
    expect(mc.status).toBe(400);
    expect(mc.body.message).toContain("config.campaign");
    expect((await payControl(id, { outcome: "completed", cardType: "visa" })).status).toBe(200);
    expect((await receipt(id)).payment_detail).toMatchObject({ card_type: "visa" });
  });

  it("config.campaign.type client_discount: a discount on a specific card type", async () => {
    const campaign = { config: { campaign: { card: "visa", type: "client_discount" } } };
    const visa = await accepted(campaign);
    expect((await payControl(visa, { outcome: "completed", cardType: "visa" })).status).toBe(200);
    const discounted = await receipt(visa);
    expect(discounted.discount).not.toBeNull();
    // How much it takes off is the sandbox's choice; the charge is below the request.
    const units = discounted.purchase_units as { request_amount: string; transfer_amount: string };
    expect(Number(units.transfer_amount)).toBeLessThan(Number(units.request_amount));

    const mc = await accepted(campaign);
    expect((await payControl(mc, { outcome: "completed", cardType: "mc" })).status).toBe(200);
    expect((await receipt(mc)).discount).toBeNull();
    expect((await receipt(mc)).purchase_units).toMatchObject({ transfer_amount: "28.0" });
  });

  it("config.google_pay.external: optional, a boolean; false (the bank's page) by default", async () => {
    for (const google_pay of [{}, { external: false }]) {
      const answer = await create({ payment_method: ["google_pay"], config: { google_pay } });
      expect(answer.status, answer.text).toBe(200);
      // Paid on the bank's page: the customer is sent there.
      expect(answer.body._links).toMatchObject({ redirect: { href: expect.any(String) } });
      expect(await statusOf(answer.body.id as string)).toBe("created");
    }
    // true: paid from the business's own page (a sandbox reading: with a token, and that method only).
    const external = await create({
      payment_method: ["google_pay"],
      config: { google_pay: { external: true, google_pay_token: '{"signature":"s"}' } },
    });
    expect(external.status, external.text).toBe(200);
    await refused(
      { payment_method: ["google_pay"], config: { google_pay: { external: "true" } } },
      "config.google_pay.external",
    );
    await refused({ config: { google_pay: { external: 1 } } }, "config.google_pay.external");
    await refused({ config: { google_pay: true } }, "config.google_pay");
  });

  it("config.google_pay.google_pay_token: optional, a string", async () => {
    await accepted({ payment_method: ["google_pay"], config: { google_pay: {} } });
    await accepted({
      payment_method: ["google_pay"],
      config: { google_pay: { google_pay_token: '{"signature":"s"}' } },
    });
    await refused(
      { payment_method: ["google_pay"], config: { google_pay: { google_pay_token: 5 } } },
      "config.google_pay.google_pay_token",
    );
  });

  it("config.apple_pay.external: optional, a boolean; false (the bank's page) by default", async () => {
    for (const apple_pay of [{}, { external: false }]) {
      const answer = await create({ payment_method: ["apple_pay"], config: { apple_pay } });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body._links).toMatchObject({ redirect: { href: expect.any(String) } });
    }
    // true: paid from the business's own page (a sandbox reading: apple_pay must be the only method).
    const external = await create({
      payment_method: ["apple_pay"],
      config: { apple_pay: { external: true } },
    });
    expect(external.status, external.text).toBe(200);
    expect(((await requestOf(external.body.id as string)).config as Json).apple_pay).toMatchObject({
      external: true,
    });
    await refused(
      { payment_method: ["apple_pay"], config: { apple_pay: { external: "yes" } } },
      "config.apple_pay.external",
    );
    await refused({ config: { apple_pay: "external" } }, "config.apple_pay");
  });

  it("config.account.tag: optional, a string (the E-commerce POS identifier)", async () => {
    const tagged = await accepted({ config: { account: { tag: "pos-2" } } });
    expect(((await requestOf(tagged)).config as Json).account).toMatchObject({ tag: "pos-2" });
    expect((await receipt(tagged)).payment_detail).toMatchObject({ request_account_tag: "pos-2" });
    // Not provided: the default POS terminal.
    await accepted({ config: { account: {} } });
    expect((await receipt(await accepted())).payment_detail).toMatchObject({
      request_account_tag: null,
    });
    await refused({ config: { account: { tag: 1212 } } }, "config.account.tag");
    await refused({ config: { account: "pos-2" } }, "config.account");
  });
});

describe("2. Create order: response", () => {
  it("id: a string, the order identifier", async () => {
    const answer = await create();
    expect(answer.status).toBe(200);
    const id = answer.body.id;
    expect(typeof id).toBe("string");
    expect((id as string).length).toBeGreaterThan(0);
    expect((await receipt(id as string)).order_id).toBe(id);
    expect((await create()).body.id).not.toBe(id);
  });

  it("_links.details.href: a string, the address of the payment details", async () => {
    const accessToken = await token(sandbox());
    const answer = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    const id = answer.body.id as string;
    const href = (answer.body._links as { details: { href: unknown } }).details.href;
    expect(typeof href).toBe("string");
    // As in the document's example: .../payments/v1/receipt/{order_id}.
    expect(href).toBe(`${sandbox().url}/payments/v1/receipt/${id}`);
    const details = await get(sandbox(), (href as string).slice(sandbox().url.length), {
      authorization: `Bearer ${accessToken}`,
    });
    expect(details.status).toBe(200);
    expect(details.body.order_id).toBe(id);
  });

  it("_links.redirect.href: a string, the page the customer is redirected to, to pay", async () => {
    const answer = await create();
    const id = answer.body.id as string;
    const href = (answer.body._links as { redirect: { href: unknown } }).redirect.href;
    expect(typeof href).toBe("string");
    // As in the document's example: the payment page with ?order_id={order_id}.
    expect(href).toBe(`${sandbox().url}/?order_id=${id}`);
    const page = await get(sandbox(), (href as string).slice(sandbox().url.length));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain(`action="/payment/${id}"`);
  });
});
