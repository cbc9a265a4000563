import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCallbackEvent } from "../../../lib/bog/callback-event.js";
import { parsePaymentDetails } from "../../../lib/bog/payment-details.js";
import { BankResponseError } from "../../../lib/errors.js";
import { VECTORS_DIR } from "../../support/paths.js";

const genuine = (n: number) => readFileSync(join(VECTORS_DIR, `callback-${n}.body.json`));

describe("payment details parsing", () => {
  it.each([1, 2])("reads genuine bank callback %i, nulls and missing fields included", (n) => {
    const parsed = parseCallbackEvent(genuine(n));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.event).toBe("order_payment");
    expect(parsed.value.zonedRequestTime).toMatch(/Z$/);
    expect(parsed.value.details).toMatchObject({
      externalOrderId: null,
      status: "completed",
      knownStatus: "completed",
      rejectReason: null,
      capture: "automatic",
      currency: "GEL",
      requestAmount: 1,
      transferAmount: 1,
      refundAmount: null,
      paymentMethod: "card",
      paymentCode: null,
      lang: "ka",
    });
  });

  it("keeps nothing about the buyer or the card", () => {
    const body = JSON.parse(genuine(1).toString("utf8")).body;
    body.buyer = { full_name: "Nino", email: "nino@example.ge", phone_number: "+995555000000" };
    const details = parsePaymentDetails(body);
    const text = JSON.stringify(details);
    expect(text).not.toContain("nino@example.ge");
    expect(text).not.toContain("+995555000000");
    expect(text).not.toContain("537493");
  });

  it("keeps an unknown status as written, flagged", () => {
    const details = parsePaymentDetails({ order_id: "x", order_status: { key: "on_hold" } });
    expect(details.status).toBe("on_hold");
    expect(details.knownStatus).toBeNull();
    expect(details.requestAmount).toBeNull();
  });

  it("reads the documented example, with its amounts as the bank writes them", () => {
    const details = parsePaymentDetails({
      order_id: "a767a276-cddd-43ec-9db3-9f9b39eee02d",
      order_status: { key: "refunded", value: "დაბრუნებული" },
      purchase_units: { request_amount: "100.5", transfer_amount: "0.0", refund_amount: "100.5" },
      payment_detail: { code: "100", transfer_method: { key: "card" } },
      unknown_future_field: { anything: true },
    });
    expect(details).toMatchObject({
      requestAmount: 10050,
      transferAmount: 0,
      refundAmount: 10050,
      paymentCode: "100",
    });
  });

  it("reads an amount it cannot parse exactly as unknown, not as a rounded number", () => {
    const details = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "completed" },
      purchase_units: { request_amount: "1.005", transfer_amount: "abc", refund_amount: 12.5 },
    });
    expect(details).toMatchObject({
      requestAmount: null,
      transferAmount: null,
      refundAmount: 1250,
    });
  });

  it.each([1, 2])("reads genuine callback %i's null discount and account tags as none", (n) => {
    const parsed = parseCallbackEvent(genuine(n));
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(parsed.value.details).toMatchObject({
      discount: null,
      requestAccountTag: null,
      transferAccountTag: null,
    });
  });

  it("reads the discount block and the account tags, amounts in minor units", () => {
    const details = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "completed" },
      purchase_units: { request_amount: "28.0", transfer_amount: "25.2" },
      payment_detail: { request_account_tag: "1212", transfer_account_tag: "gev2" },
      discount: {
        bank_discount_amount: "2.8",
        bank_discount_desc: "10% with Visa",
        system_discount_amount: "0.0",
        system_discount_desc: null,
        discounted_amount: "25.2",
        original_order_amount: "28.0",
        campaign_id: 77,
      },
    });
    expect(details).toMatchObject({
      requestAmount: 2800,
      transferAmount: 2520,
      requestAccountTag: "1212",
      transferAccountTag: "gev2",
      discount: {
        bankDiscountAmount: 280,
        bankDiscountDesc: "10% with Visa",
        systemDiscountAmount: 0,
        systemDiscountDesc: null,
        discountedAmount: 2520,
        originalOrderAmount: 2800,
      },
    });
    expect(details.discount?.raw.campaign_id).toBe(77);
  });

  it("keeps a discount block written as the documented example's placeholders, amounts unknown", () => {
    const details = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "completed" },
      discount: {
        bank_discount_amount: "string",
        bank_discount_desc: "string",
        discounted_amount: "string",
        original_order_amount: "string",
        system_discount_amount: "string",
        system_discount_desc: "string",
      },
    });
    expect(details.discount).toMatchObject({
      bankDiscountAmount: null,
      bankDiscountDesc: "string",
      discountedAmount: null,
      originalOrderAmount: null,
    });
  });

  it.each([
    [null, "without order_id"],
    [[], "without order_id"],
    [{ order_status: { key: "completed" } }, "without order_id"],
    [{ order_id: "x" }, "without order_status.key"],
    [{ order_id: "x", order_status: "completed" }, "without order_status.key"],
    [{ order_id: "", order_status: { key: "completed" } }, "without order_id"],
    [{ order_id: "x", order_status: { key: "" } }, "without order_status.key"],
  ])("refuses %j", (value, message) => {
    expect(() => parsePaymentDetails(value)).toThrow(BankResponseError);
    expect(() => parsePaymentDetails(value)).toThrow(message);
  });

  it.each([
    ["39155", "39155"],
    [39155, "39155"],
    [391.55, null],
    ["", null],
    [null, null],
  ])("reads the merchant id %j as %j", (id, merchantId) => {
    const details = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "completed" },
      client: { id },
    });
    expect(details.merchantId).toBe(merchantId);
  });

  it("reads an amount written with spaces around it", () => {
    const details = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "completed" },
      purchase_units: { request_amount: " 28.0 ", transfer_amount: 25.2 },
    });
    expect(details).toMatchObject({ requestAmount: 2800, transferAmount: 2520 });
  });

  it("reads an empty string as no value, never as a value", () => {
    const details = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "rejected" },
      reject_reason: "",
      external_order_id: "",
      purchase_units: { currency_code: "" },
    });
    expect(details).toMatchObject({ rejectReason: null, externalOrderId: null, currency: null });
  });

  it.each([
    ["a string", "none"],
    ["a number", 0],
    ["an array", [{ bank_discount_amount: "2.8" }]],
  ])("reads a discount that is %s, not an object, as no discount", (_what, discount) => {
    const details = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "completed" },
      discount,
    });
    expect(details.discount).toBeNull();
  });
});

describe("payment details of a saved card", () => {
  const paid = (payment: Record<string, unknown>) =>
    parsePaymentDetails({
      order_id: "a767a276-cddd-43ec-9db3-9f9b39eee02d",
      order_status: { key: "completed" },
      payment_detail: {
        transfer_method: { key: "card" },
        payer_identifier: "548888xxxxxx9893",
        card_type: "mc",
        card_expiry_date: "03/24",
        ...payment,
      },
    });

  it("keeps the bank's mask, card type and expiry when the card is saved", () => {
    const details = paid({
      saved_card_type: "recurrent",
      parent_order_id: "p-1",
      payment_option: "recurrent",
    });
    expect(details).toMatchObject({
      card: { mask: "548888xxxxxx9893", type: "mc", expiry: "03/24" },
      savedCardType: "recurrent",
      parentOrderId: "p-1",
      paymentOption: "recurrent",
    });
  });

  it("keeps no card when none is saved, and never a number that is not masked", () => {
    expect(paid({ saved_card_type: null }).card).toBeNull();
    const whole = paid({ saved_card_type: "subscription", payer_identifier: "5488881234569893" });
    expect(whole.card).toEqual({ mask: null, type: "mc", expiry: "03/24" });
    expect(JSON.stringify(whole)).not.toContain("5488881234569893");
    const tooMany = paid({ saved_card_type: "subscription", payer_identifier: "54888812xx569893" });
    expect(tooMany.card?.mask).toBeNull();
  });

  it("keeps only a masked number: starting and ending with digits, 32 characters at most", () => {
    const maskOf = (payer_identifier: string) =>
      paid({ saved_card_type: "recurrent", payer_identifier }).card?.mask;
    expect(maskOf(`548888${"x".repeat(22)}9893`)).toBe(`548888${"x".repeat(22)}9893`);
    expect(maskOf(`548888${"x".repeat(23)}9893`)).toBeNull();
    expect(maskOf("VISA 548888xxxxxx9893")).toBeNull();
    expect(maskOf("548888xxxxxx9893 GIORGI")).toBeNull();
  });

  it("keeps no mask for Apple Pay, whose identifier is the device's", () => {
    const applePay = parsePaymentDetails({
      order_id: "x",
      order_status: { key: "completed" },
      payment_detail: {
        transfer_method: { key: "apple_pay" },
        saved_card_type: "recurrent",
        payer_identifier: "548888xxxxxx9893",
        card_type: "visa",
        card_expiry_date: "03/29",
      },
    });
    expect(applePay.card).toEqual({ mask: null, type: "visa", expiry: "03/29" });
  });

  it("keeps a saved card the bank says anything of, and none when it says nothing", () => {
    const nothing = { payer_identifier: null, card_type: null, card_expiry_date: null };
    expect(paid({ saved_card_type: "recurrent", ...nothing }).card).toBeNull();
    expect(paid({ saved_card_type: "recurrent", ...nothing, card_type: "visa" }).card).toEqual({
      mask: null,
      type: "visa",
      expiry: null,
    });
    expect(
      paid({ saved_card_type: "recurrent", ...nothing, card_expiry_date: "11/29" }).card,
    ).toEqual({ mask: null, type: null, expiry: "11/29" });
    expect(
      paid({ saved_card_type: "recurrent", ...nothing, payer_identifier: "548888xxxxxx9893" }).card,
    ).toEqual({ mask: "548888xxxxxx9893", type: null, expiry: null });
  });
});
