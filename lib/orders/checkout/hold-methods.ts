import type { PaymentMethod } from "../../bog/vocabulary.js";
import { invalidRequest } from "../../domain-error.js";

/**
 * A pre-authorization (`capture: manual`) "can only be used when paying through Apple
 * Pay, Google Pay or by a card" (the bank's create order, `capture`), and an order that
 * names no payment method offers every method. So a hold names its methods, all among
 * these; a shop whose capture mode is manual gets card when the request names none.
 */

const HOLD_METHODS: readonly PaymentMethod[] = ["card", "google_pay", "apple_pay"];

export function holdPaymentMethods(
  paymentMethods: PaymentMethod[] | undefined,
  capture: "automatic" | "manual",
  whenNone: "card" | "refuse",
): PaymentMethod[] | undefined {
  if (capture === "automatic") return paymentMethods;
  if (paymentMethods === undefined) {
    if (whenNone === "card") return ["card"];
    throw invalidRequest("capture manual needs paymentMethods among card, google_pay, apple_pay", [
      {
        path: "paymentMethods",
        message: "required with capture manual (card, google_pay, apple_pay)",
      },
    ]);
  }
  const others = paymentMethods.filter((method) => !HOLD_METHODS.includes(method));
  if (others.length > 0) {
    throw invalidRequest(
      `capture manual is for card, google_pay and apple_pay payments only, not ${others.join(", ")}`,
      [
        {
          path: "paymentMethods",
          message: `${others.join(", ")} cannot be pre-authorized (capture manual)`,
        },
      ],
    );
  }
  return paymentMethods;
}
