import { bankAmount } from "./amounts.js";
import { localDate, zonedDate } from "./bank-format.js";
import type { OrderStatus, TransferMethod } from "./document.js";
import { responseDescription } from "./lifecycle.js";
import type { Merchant } from "./options.js";
import type { SandboxOrder } from "./order-model.js";

/**
 * The payment details ("receipt") with every field the document lists, shaped as the
 * genuine callbacks (test/fixtures) show the bank writes them: their field order,
 * `null`s and extra fields (`request_time`/`create_date` beside the zoned dates,
 * `disputes`, `split`). The genuine callbacks carry no `payment_detail.code`; the
 * document lists `code` and `code_description`, so the sandbox sends both.
 */

const STATUS_KA: Record<OrderStatus, string> = {
  created: "შექმნილი",
  processing: "მუშავდება",
  completed: "წარმატებული",
  rejected: "წარუმატებელი",
  refund_requested: "მოთხოვნილია დაბრუნება",
  refunded: "დაბრუნებული",
  refunded_partially: "ნაწილობრივ დაბრუნებული",
  auth_requested: "მოთხოვნილია ავტორიზაცია",
  blocked: "დაბლოკილი",
  partial_completed: "ნაწილობრივ დასრულებული",
};

const METHOD_KA: Record<TransferMethod, string> = {
  card: "ბარათით გადახდა",
  google_pay: "Google Pay",
  apple_pay: "Apple Pay",
  bog_p2p: "BoG-ით გადარიცხვა",
  bog_loyalty: "MR/Plus ქულებით გადახდა",
  bnpl: "განაწილებით გადახდა",
  bog_loan: "განვადება",
};

export function buildReceipt(order: SandboxOrder, merchant: Merchant, baseUrl: string) {
  const defaultLink = `${baseUrl}/receipt?order_id=${order.id}`;
  const payment = order.payment;
  return {
    order_id: order.id,
    external_order_id: order.externalOrderId,
    client: {
      id: merchant.id,
      brand_ka: merchant.brandKa,
      brand_en: merchant.brandEn,
      url: merchant.url,
    },
    create_date: localDate(order.createdAt),
    zoned_create_date: zonedDate(order.createdAt),
    expire_date: localDate(order.expiresAt),
    zoned_expire_date: zonedDate(order.expiresAt),
    order_status: { key: order.status, value: STATUS_KA[order.status] },
    buyer: order.buyer
      ? {
          full_name: order.buyer.fullName,
          email: order.buyer.maskedEmail,
          phone_number: order.buyer.maskedPhone,
        }
      : null,
    redirect_links: {
      success: order.redirectUrls.success ?? defaultLink,
      fail: order.redirectUrls.fail ?? defaultLink,
    },
    payment_detail: {
      transfer_method: payment ? { key: payment.method, value: METHOD_KA[payment.method] } : null,
      transaction_id: payment?.transactionId ?? null,
      payer_identifier: payment?.payerIdentifier ?? null,
      payment_option: payment?.paymentOption ?? null,
      card_type: payment?.cardType ?? null,
      card_expiry_date: payment?.cardExpiryDate ?? null,
      request_account_tag: order.config.accountTag,
      // The sandbox has a POS terminal for every tag: a payment is processed on the one asked for.
      transfer_account_tag: payment ? order.config.accountTag : null,
      saved_card_type: order.savedCardType ?? order.parent?.option ?? null,
      parent_order_id: order.parent?.id ?? null,
      code: order.responseCode,
      code_description: responseDescription(order.responseCode),
    },
    actions:
      order.actions.length === 0
        ? null
        : order.actions.map((a) => ({
            action_id: a.actionId,
            request_channel: a.requestChannel,
            action: a.action,
            status: a.status,
            zoned_action_date: zonedDate(a.at),
            amount: bankAmount(a.amount),
          })),
    disputes: null,
    split: null,
    discount: order.discount
      ? {
          bank_discount_amount: bankAmount(order.discount.amount),
          bank_discount_desc: order.discount.description,
          system_discount_amount: "0.0",
          system_discount_desc: null,
          discounted_amount: bankAmount(order.total - order.discount.amount),
          original_order_amount: bankAmount(order.total),
        }
      : null,
    lang: order.lang,
    reject_reason: order.rejectReason,
    industry: "ecommerce",
    capture: order.capture,
    purchase_units: {
      request_amount: bankAmount(order.total),
      transfer_amount: bankAmount(order.charged - order.refunded),
      refund_amount: order.refunded > 0 ? bankAmount(order.refunded) : null,
      currency_code: order.currency,
      items: order.items.map((item) => ({
        external_item_id: item.productId,
        unit_price: bankAmount(item.unitPrice),
        description: item.description,
        quantity: String(item.quantity),
        unit_discount_price: bankAmount(item.unitDiscountPrice),
        package_code: item.packageCode,
        total_price: item.totalPrice === null ? null : bankAmount(item.totalPrice),
        vat: item.vat === null ? null : bankAmount(item.vat),
        vat_percent: item.vatPercent === null ? null : String(item.vatPercent),
        tin: item.tin,
        pinfl: item.pinfl,
        product_discount_id: item.productDiscountId,
      })),
    },
  };
}

export type Receipt = ReturnType<typeof buildReceipt>;
