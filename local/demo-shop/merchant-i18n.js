// The back office's words, in the same two languages as the shop, switched the same
// way (i18n.js keeps the choice in localStorage). Status names are the shop's, except
// where the shop speaks to the customer ("Paid — thank you!").
import { lang, t as shopWords } from "./i18n.js";

const TEXT = {
  ka: {
    title: "ბექ-ოფისი",
    subtitle: "შეკვეთები, დაბრუნება, დადასტურება (ლოკალური სტენდი, IAM-ის გარეშე)",
    orders: "შეკვეთები",
    fStatus: "სტატუსი",
    fReference: "შეკვეთის ნომერი (reference)",
    fFrom: "თარიღიდან",
    fTo: "თარიღამდე",
    allStatuses: "ყველა",
    apply: "ძებნა",
    clear: "გასუფთავება",
    reference: "ნომერი",
    orderId: "შეკვეთის ID",
    status: "სტატუსი",
    amount: "თანხა",
    method: "გადახდის მეთოდი",
    created: "შექმნილია",
    updated: "განახლდა",
    newer: "← უფრო ახალი",
    older: "უფრო ძველი →",
    page: "გვერდი",
    noOrders: "შეკვეთები არ მოიძებნა.",
    loading: "იტვირთება…",
    loadFailed: "ჩატვირთვა ვერ მოხერხდა",
    back: "← ყველა შეკვეთა",
    refresh: "განახლება ბანკიდან",
    refreshed: "ბანკის პასუხი მიღებულია.",
    order: "შეკვეთა",
    summary: "მიმოხილვა",
    capture: "ჩამოჭრა",
    captureMode: "ჩამოჭრის რეჟიმი",
    automatic: "ავტომატური",
    manual: "ხელით",
    capturedAmount: "ჩამოჭრილი",
    refundedAmount: "დაბრუნებული",
    delivery: "მიწოდება",
    rejectReason: "უარყოფის მიზეზი",
    bankOrderId: "ბანკის შეკვეთის ID",
    expiresAt: "ვადა",
    metadata: "მეტამონაცემები",
    items: "პროდუქტები",
    product: "პროდუქტი",
    description: "აღწერა",
    quantity: "რაოდენობა",
    unitPrice: "ფასი",
    lineTotal: "ჯამი",
    history: "ისტორია",
    events: "მოვლენები (ლოკალური სტეკი)",
    eventsHint:
      "Order Status Changed, როგორც webhook-მა მიიღო; AWS-ში ისინი EventBridge-ზე და webhook-ზე მიდის.",
    noEvents: "მოვლენები ჯერ არ არის.",
    version: "ვერსია",
    change: "ცვლილება",
    at: "დრო",
    source: "წყარო",
    operations: "ოპერაციები",
    noOperations: "ოპერაციები არ ყოფილა.",
    kind: "ტიპი",
    state: "მდგომარეობა",
    note: "შენიშვნა",
    bankMessage: "ბანკის პასუხი",
    anomalies: "ანომალიები",
    noAnomalies: "ანომალიები არ არის.",
    reason: "მიზეზი",
    claimedStatus: "ნათქვამი სტატუსი",
    actions: "მოქმედებები",
    noActions: "ამ სტატუსში ოპერაცია შეუძლებელია.",
    refund: "დაბრუნება",
    void: "გაუქმება",
    refundAmount: "დასაბრუნებელი თანხა (ცარიელი — მთელი ნაშთი)",
    captureAmount: "ჩამოსაჭრელი თანხა (ცარიელი — მთელი დაჯავშნილი)",
    leftToRefund: "დასაბრუნებლად დარჩენილია",
    authorized: "დაჯავშნილია",
    refundReason: "დაბრუნების მიზეზი",
    captureNote: "ჩამოჭრის აღწერა",
    voidNote: "გაუქმების აღწერა",
    confirmRefund: "დავაბრუნოთ {amount} შეკვეთიდან {order}?",
    confirmCapture: "ჩამოვჭრათ {amount} შეკვეთიდან {order}?",
    confirmVoid: "გავაუქმოთ დაჯავშნა შეკვეთაზე {order}?",
    everything: "მთელი თანხა",
    sending: "იგზავნება…",
    requested: "მოთხოვნა მიღებულია",
    operationFailed: "ოპერაცია ვერ შესრულდა",
    notFound: "შეკვეთა ვერ მოიძებნა.",
    kinds: { refund: "დაბრუნება", capture: "ჩამოჭრა", void: "გაუქმება" },
    states: { requested: "მოთხოვნილია", completed: "შესრულდა", rejected: "უარყოფილია" },
  },
  en: {
    title: "Back office",
    subtitle: "Orders, refunds, captures (local stack, no IAM)",
    orders: "Orders",
    fStatus: "Status",
    fReference: "Reference",
    fFrom: "From",
    fTo: "To",
    allStatuses: "All",
    apply: "Search",
    clear: "Clear",
    reference: "Reference",
    orderId: "Order id",
    status: "Status",
    amount: "Amount",
    method: "Payment method",
    created: "Created",
    updated: "Updated",
    newer: "← Newer",
    older: "Older →",
    page: "Page",
    noOrders: "No orders found.",
    loading: "Loading…",
    loadFailed: "Could not load",
    back: "← All orders",
    refresh: "Refresh from the bank",
    refreshed: "The bank has answered.",
    order: "Order",
    summary: "Summary",
    capture: "Capture",
    captureMode: "Capture mode",
    automatic: "automatic",
    manual: "manual",
    capturedAmount: "Captured",
    refundedAmount: "Refunded",
    delivery: "Delivery",
    rejectReason: "Reject reason",
    bankOrderId: "Bank order id",
    expiresAt: "Expires",
    metadata: "Metadata",
    items: "Items",
    product: "Product",
    description: "Description",
    quantity: "Quantity",
    unitPrice: "Unit price",
    lineTotal: "Total",
    history: "History",
    events: "Events (local stack)",
    eventsHint:
      "Order Status Changed, as the webhook gets them; in AWS they go to EventBridge and the webhook.",
    noEvents: "No events yet.",
    version: "Version",
    change: "Change",
    at: "At",
    source: "Source",
    operations: "Operations",
    noOperations: "No operations yet.",
    kind: "Kind",
    state: "State",
    note: "Note",
    bankMessage: "Bank's message",
    anomalies: "Anomalies",
    noAnomalies: "No anomalies.",
    reason: "Reason",
    claimedStatus: "Claimed status",
    actions: "Actions",
    noActions: "No operation is possible in this status.",
    refund: "Refund",
    void: "Void",
    refundAmount: "Amount to refund (empty: all that is left)",
    captureAmount: "Amount to capture (empty: all that is reserved)",
    leftToRefund: "left to refund",
    authorized: "reserved",
    refundReason: "Refund reason",
    captureNote: "Capture description",
    voidNote: "Void description",
    confirmRefund: "Refund {amount} of order {order}?",
    confirmCapture: "Capture {amount} of order {order}?",
    confirmVoid: "Void the reservation of order {order}?",
    everything: "the whole amount",
    sending: "Sending…",
    requested: "Requested",
    operationFailed: "The operation failed",
    notFound: "Order not found.",
    kinds: { refund: "refund", capture: "capture", void: "void" },
    states: { requested: "requested", completed: "completed", rejected: "rejected" },
  },
};

const PAID = { ka: "გადახდილია", en: "Paid" };

/** The back office's words in the current language. */
export function m() {
  return TEXT[lang()];
}

/** An order status as the back office says it (`blocked`: reserved, not yet paid). */
export function statusLabel(status) {
  if (status === "completed") return PAID[lang()];
  return shopWords().status[status] ?? status;
}

/** "{amount} of {order}" with the values put in. */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

/**
 * A time as "2026-11-28 09:40:15" in the reader's time zone: the same in both languages
 * (and browsers' Georgian date formats vary); the page shows the UTC value on hover.
 */
export function when(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}
