// The shop's words in both languages the bank's payment page speaks.
const TEXT = {
  ka: {
    title: "სადემონსტრაციო მაღაზია",
    subtitle: "გადახდა საქართველოს ბანკით (სატესტო გარემო)",
    products: "პროდუქტები",
    add: "კალათაში დამატება",
    cart: "კალათა",
    empty: "კალათა ცარიელია.",
    total: "სულ",
    checkout: "გადახდა",
    paying: "გადამისამართება ბანკში…",
    remove: "წაშლა",
    more: "მეტი",
    less: "ნაკლები",
    loadFailed: "პროდუქტები ვერ ჩაიტვირთა.",
    oldPrice: "ძველი ფასი",
    newPrice: "ახალი ფასი",
    each: "ცალი",
    howToPay: "გადახდის ხერხი",
    payInFull: "სრულად გადახდა",
    payInInstallments: "განვადებით (საქართველოს ბანკი)",
    months: "თვეების რაოდენობა",
    monthsOption: (n) => `${n} თვე`,
    installmentsFrom: (amount) => `განვადება ხელმისაწვდომია ${amount}-დან.`,
    demoLoanCode: (code) =>
      `დემო: ნამდვილ მაღაზიაში გეგმას და მის კოდს ბანკის განვადების კალკულატორი აბრუნებს; აქ მის ნაცვლად გამოიყენება სატესტო კოდი „${code}“.`,
    checkoutFailed: "გადახდის დაწყება ვერ მოხერხდა",
    resultTitle: "შეკვეთის სტატუსი",
    order: "შეკვეთა",
    amount: "თანხა",
    method: "გადახდის მეთოდი",
    waiting: "ველოდებით ბანკის პასუხს…",
    stillWaiting: "ბანკი ჯერ არ პასუხობს. სცადეთ გვერდის განახლება მოგვიანებით.",
    notFound: "შეკვეთა ვერ მოიძებნა.",
    back: "მაღაზიაში დაბრუნება",
    status: {
      pending: "ბანკი ჯერ არ დაადასტურა",
      created: "ელოდება გადახდას",
      processing: "მუშავდება",
      completed: "გადახდილია — გმადლობთ!",
      rejected: "გადახდა უარყოფილია",
      refund_requested: "მოთხოვნილია დაბრუნება",
      refunded: "თანხა დაბრუნებულია",
      refunded_partially: "თანხა ნაწილობრივ დაბრუნებულია",
      auth_requested: "ავტორიზაცია მიმდინარეობს",
      blocked: "თანხა დაჯავშნილია — ჯერ არ არის გადახდილი",
      partial_completed: "ნაწილობრივ გადახდილია",
    },
  },
  en: {
    title: "Demo shop",
    subtitle: "Payments by Bank of Georgia (sandbox)",
    products: "Products",
    add: "Add to cart",
    cart: "Cart",
    empty: "Your cart is empty.",
    total: "Total",
    checkout: "Pay",
    paying: "Taking you to the bank…",
    remove: "Remove",
    more: "One more",
    less: "One less",
    loadFailed: "Could not load the products.",
    oldPrice: "was",
    newPrice: "now",
    each: "each",
    howToPay: "How to pay",
    payInFull: "Pay in full",
    payInInstallments: "Pay in installments (Bank of Georgia)",
    months: "Months",
    monthsOption: (n) => `${n} months`,
    installmentsFrom: (amount) => `Installments are available from ${amount}.`,
    demoLoanCode: (code) =>
      `Demo: in a real shop the plan and its code come from the bank's installment calculator; here the test code “${code}” stands in for it.`,
    checkoutFailed: "Could not start the payment",
    resultTitle: "Order status",
    order: "Order",
    amount: "Amount",
    method: "Payment method",
    waiting: "Waiting for the bank…",
    stillWaiting: "The bank has not answered yet. Try reloading this page later.",
    notFound: "Order not found.",
    back: "Back to the shop",
    status: {
      pending: "Not confirmed by the bank yet",
      created: "Awaiting payment",
      processing: "Processing",
      completed: "Paid — thank you!",
      rejected: "Payment declined",
      refund_requested: "Refund requested",
      refunded: "Refunded",
      refunded_partially: "Partly refunded",
      auth_requested: "Authorising",
      blocked: "Amount reserved, not yet paid",
      partial_completed: "Partly paid",
    },
  },
};

export function lang() {
  const saved = localStorage.getItem("lang");
  return saved === "en" || saved === "ka" ? saved : "ka";
}

export function t() {
  return TEXT[lang()];
}

/**
 * Puts the words of the current language into every [data-i18n] element, and wires the
 * switch. `words` is where the words come from: the shop's by default, the back
 * office passes its own (merchant-i18n.js).
 */
export function applyLanguage(onChange, words = t) {
  document.documentElement.lang = lang();
  for (const el of document.querySelectorAll("[data-i18n]"))
    el.textContent = words()[el.dataset.i18n];
  for (const el of document.querySelectorAll("[data-i18n-placeholder]"))
    el.placeholder = words()[el.dataset.i18nPlaceholder];
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === lang()));
    button.onclick = () => {
      localStorage.setItem("lang", button.dataset.lang);
      applyLanguage(onChange, words);
      onChange?.();
    };
  }
}

/** "12.50" + "3.00" without floats: amounts travel as decimal strings, added in minor units. */
export const toMinor = (amount) => {
  const [whole, fraction = ""] = amount.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
};
export const fromMinor = (minor) =>
  `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
