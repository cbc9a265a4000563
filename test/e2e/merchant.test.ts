import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, SHOTS } from "../support/e2e-browser.js";
import { npmStart, type StartedStack } from "../support/npm-start.js";

/**
 * The local back office (/merchant) in Debian's chromium, against the whole local
 * stack: orders paid in the demo shop or made through the merchant API and paid at
 * the sandbox, then refunded, captured and voided from the page, which waits for the
 * bank's callback to settle each. Screenshots go to test-results/e2e/.
 */

let stack: StartedStack;
let browser: Browser;
let page: Page;
/** What the page asked the operator to confirm, in order. */
let confirmations: string[];

beforeAll(async () => {
  stack = await npmStart();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await stack?.stop()).toBe(0);
});

beforeEach(async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  page = await context.newPage();
  confirmations = [];
  // The operator says yes to every "Refund 5.00 GEL of order …?".
  page.on("dialog", (dialog) => {
    confirmations.push(dialog.message());
    void dialog.accept();
  });
});

type Json = Record<string, unknown>;

async function api(path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers:
      body === undefined
        ? {}
        : { "content-type": "application/json", "idempotency-key": randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/** An order made through the merchant API and paid at the sandbox (as a click on Pay would). */
async function paidMerchantOrder(extra: Json = {}): Promise<string> {
  const created = await api("/merchant/orders", {
    currency: "GEL",
    items: [
      { productId: "mug", description: "Mug", quantity: 2, unitPrice: "10.00" },
      { productId: "tea", description: "Tea", quantity: 1, unitPrice: "5.00" },
    ],
    ...extra,
  });
  expect(created.status).toBe(201);
  const orderId = created.body.orderId as string;
  const { body } = await api(`/merchant/orders/${orderId}`);
  const paid = await fetch(`${stack.sandboxUrl}/_sandbox/orders/${body.bankOrderId}/pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ outcome: "completed" }),
  });
  expect(paid.status).toBe(200);
  return orderId;
}

async function english() {
  await page.getByRole("button", { name: "English" }).click();
}

const orderStatus = () => page.getByTestId("order-status").getAttribute("data-status");
const text = (testId: string) => page.getByTestId(testId).textContent();

async function openOrder(orderId: string) {
  await page.goto(`${stack.apiUrl}/merchant?order=${orderId}`);
  await page.getByTestId("order-status").waitFor();
}

describe("the back office in a browser", () => {
  it("an order paid in the demo shop, refunded in part from the back office: refunded_partially, 5.00 of 16.00", async () => {
    // A customer buys in the demo shop and pays on the bank's page.
    await page.goto(`${stack.apiUrl}/`);
    await english();
    for (const product of ["Espresso cup", "Churchkhela"]) {
      await page
        .getByRole("listitem")
        .filter({ hasText: product })
        .getByRole("button", { name: "Add to cart" })
        .click();
    }
    await expect.poll(() => page.getByTestId("cart-total").textContent()).toBe("16.00 GEL");
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL((url) => url.href.startsWith(stack.sandboxUrl));
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(/\/result\?order=/);
    await page.waitForSelector('[data-testid="status"][data-status="completed"]');
    const orderId = new URL(page.url()).searchParams.get("order") as string;

    // The operator finds it in the list (the language choice is the shop's, kept).
    await page.goto(`${stack.apiUrl}/merchant`);
    const row = page.getByRole("row").filter({ hasText: orderId.slice(0, 8) });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual([
      "—",
      orderId.slice(0, 8),
      "Paid",
      "16.00 GEL",
      "card",
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    ]);
    await page.screenshot({ path: join(SHOTS, "merchant-list.png"), fullPage: true });

    // Opens it: paid, refundable, nothing to capture.
    await row.click();
    await page.waitForURL(`${stack.apiUrl}/merchant?order=${orderId}`);
    await page.getByTestId("order-status").waitFor();
    expect(await orderStatus()).toBe("completed");
    expect(await text("order-amount")).toBe("16.00 GEL");
    expect(await page.getByRole("button", { name: "Capture" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Void" }).isVisible()).toBe(false);
    expect(await page.getByText("left to refund: 16.00 GEL").isVisible()).toBe(true);

    // Refunds 5.00 of it.
    await page.getByLabel("Amount to refund").fill("5.00");
    await page.getByLabel("Refund reason").fill("chipped cup");
    await page.getByRole("button", { name: "Refund" }).click();
    await expect.poll(orderStatus, { timeout: 20_000 }).toBe("refunded_partially");
    expect(confirmations).toEqual([`Refund 5.00 GEL of order ${orderId.slice(0, 8)}?`]);
    expect(await page.getByTestId("order-status").textContent()).toBe("Partly refunded");
    expect(await text("order-amount")).toBe("16.00 GEL");
    expect(await text("refunded-amount")).toBe("5.00 GEL");
    // The status may show before the operation is settled (two writes): the page reloads
    // the order until it is, and only then is nothing held for the refund in flight.
    await expect
      .poll(() => page.getByText("left to refund: 11.00 GEL").isVisible(), { timeout: 20_000 })
      .toBe(true);
    // The operation, settled by the bank's callback.
    await expect
      .poll(() => page.locator("#operations tr").getByRole("cell").allTextContents())
      .toEqual([
        "refund",
        "5.00 GEL",
        "completed",
        "merchant",
        expect.stringMatching(/^\d{4}-/),
        "chipped cup",
        "—",
      ]);
    expect(await page.locator("#history tr").last().textContent()).toContain("Partly refunded");
    await expect.poll(() => text("action-message")).toBe("refund 5.00 GEL: completed");
    await page.screenshot({ path: join(SHOTS, "merchant-refunded.png"), fullPage: true });

    // What the page shows is what the API says.
    const detail = await api(`/merchant/orders/${orderId}`);
    expect(detail.body).toMatchObject({
      status: "refunded_partially",
      amount: "16.00",
      refundedAmount: "5.00",
    });

    // More than is left: the API's message, and nothing changes.
    await page.getByLabel("Amount to refund").fill("12.00");
    await page.getByRole("button", { name: "Refund" }).click();
    await expect
      .poll(() => text("action-message"))
      .toBe("The operation failed: at most 11.00 GEL is left to refund");
    expect(await orderStatus()).toBe("refunded_partially");
    expect(await page.locator("#operations tr").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Refund" }).isEnabled()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "merchant-refund-refused.png"), fullPage: true });
  });

  it("a pre-authorization (capture: manual): reserved, not yet paid; 10.00 of 25.00 captured from the page", async () => {
    const reference = `hold-${randomUUID().slice(0, 8)}`;
    const orderId = await paidMerchantOrder({
      reference,
      capture: "manual",
      paymentMethods: ["card"],
    });

    // Found by its reference.
    await page.goto(`${stack.apiUrl}/merchant`);
    await english();
    await page.getByLabel("Reference").fill(reference);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(`${stack.apiUrl}/merchant?reference=${reference}`);
    const rows = page.locator("#orders tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Amount reserved, not yet paid");
    await rows.first().click();
    await page.getByTestId("order-status").waitFor();

    expect(await orderStatus()).toBe("blocked");
    expect(await page.getByTestId("order-status").textContent()).toBe(
      "Amount reserved, not yet paid",
    );
    expect(await page.getByRole("button", { name: "Refund" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Void" }).isVisible()).toBe(true);
    expect(await page.getByText("reserved: 25.00 GEL").isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "merchant-blocked.png"), fullPage: true });

    await page.getByLabel("Amount to capture").fill("10.00");
    await page.getByLabel("Capture description").fill("one mug shipped");
    await page.getByRole("button", { name: "Capture" }).click();
    await expect.poll(orderStatus, { timeout: 20_000 }).toBe("partial_completed");
    expect(confirmations).toEqual([`Capture 10.00 GEL of order ${reference}?`]);
    expect(await text("order-amount")).toBe("25.00 GEL");
    expect(await text("captured-amount")).toBe("10.00 GEL");
    await expect.poll(() => text("action-message")).toBe("capture 10.00 GEL: completed");
    await expect
      .poll(() => page.locator("#operations tr").getByRole("cell").allTextContents())
      .toEqual([
        "capture",
        "10.00 GEL",
        "completed",
        "merchant",
        expect.stringMatching(/^\d{4}-/),
        "one mug shipped",
        "—",
      ]);
    // Now it can be refunded (what was captured), and no longer captured or voided.
    expect(await page.getByRole("button", { name: "Capture" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Void" }).isVisible()).toBe(false);
    expect(await page.getByText("left to refund: 10.00 GEL").isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "merchant-captured.png"), fullPage: true });

    // Asking the bank again changes nothing: it agrees.
    const receipts = async () =>
      ((await (await fetch(`${stack.sandboxUrl}/_sandbox/stats`)).json()) as { receipt: number })
        .receipt;
    const before = await receipts();
    await page.getByRole("button", { name: "Refresh from the bank" }).click();
    await expect.poll(() => text("action-message")).toBe("The bank has answered.");
    expect(await receipts()).toBeGreaterThan(before);
    expect(await orderStatus()).toBe("partial_completed");
    expect(await text("captured-amount")).toBe("10.00 GEL");

    const detail = await api(`/merchant/orders/${orderId}`);
    expect(detail.body).toMatchObject({ status: "partial_completed", capturedAmount: "10.00" });
  });

  it("an order's events, as the local bus published them: created (v2), then completed (v3)", async () => {
    const orderId = await paidMerchantOrder();
    await openOrder(orderId);
    await english();
    // The stream reaches the local bus within a poll or two; the page reads it on load.
    await expect
      .poll(
        async () => {
          await openOrder(orderId);
          return page.locator("#events tr").count();
        },
        { timeout: 20_000 },
      )
      .toBe(2);
    const rows = await page.locator("#events tr").allTextContents();
    expect(rows[0]).toContain("v2");
    expect(rows[0]).toContain("pending → created");
    expect(rows[1]).toContain("v3");
    expect(rows[1]).toContain("created → completed");
    expect(rows[1]).toContain("25.00 GEL");
    await page.screenshot({ path: join(SHOTS, "merchant-events.png"), fullPage: true });
  });

  it("void of a pre-authorization, in Georgian: the hold is released", async () => {
    const orderId = await paidMerchantOrder({ capture: "manual", paymentMethods: ["card"] });
    await openOrder(orderId);
    await page.getByRole("button", { name: "ქართული" }).click();
    expect(await page.getByTestId("order-status").textContent()).toBe(
      "თანხა დაჯავშნილია — ჯერ არ არის გადახდილი",
    );
    await page.getByLabel("გაუქმების აღწერა").fill("მარაგში აღარ არის");
    await page.getByRole("button", { name: "გაუქმება" }).click();
    await expect.poll(orderStatus, { timeout: 20_000 }).toBe("rejected");
    expect(await page.getByText("ამ სტატუსში ოპერაცია შეუძლებელია.").isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "merchant-voided-ka.png"), fullPage: true });
    expect((await api(`/merchant/orders/${orderId}`)).body.operations).toEqual([
      expect.objectContaining({ kind: "void", state: "completed", note: "მარაგში აღარ არის" }),
    ]);
  });

  it("the list: a status filter, and pages by nextCursor both ways", async () => {
    for (let n = 0; n < 3; n += 1) await paidMerchantOrder({ reference: `page-${n}` });
    await page.goto(`${stack.apiUrl}/merchant?limit=2`);
    await english();
    await page.getByLabel("Status").selectOption("completed");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/status=completed/);
    expect(new URL(page.url()).searchParams.get("limit")).toBe("2");

    const rows = page.locator("#orders tr");
    const pageOf = async () => {
      await rows.first().waitFor();
      return {
        page: await page.locator("#page-number").textContent(),
        statuses: await Promise.all(
          (await rows.locator(".badge").all()).map((badge) => badge.getAttribute("data-status")),
        ),
        ids: await rows.locator("a").allTextContents(),
      };
    };
    const first = await pageOf();
    expect(first).toMatchObject({ page: "Page 1", statuses: ["completed", "completed"] });
    expect(await page.getByRole("button", { name: "← Newer" }).isDisabled()).toBe(true);

    await page.getByRole("button", { name: "Older →" }).click();
    await expect.poll(() => page.locator("#page-number").textContent()).toBe("Page 2");
    const second = await pageOf();
    expect(second.statuses.every((s) => s === "completed")).toBe(true);
    expect(second.ids.some((id) => first.ids.includes(id))).toBe(false);

    await page.getByRole("button", { name: "← Newer" }).click();
    await expect.poll(() => page.locator("#page-number").textContent()).toBe("Page 1");
    expect((await pageOf()).ids).toEqual(first.ids);

    // A filter the API refuses: its message, on the page.
    await page.getByLabel("Reference").fill("page-0");
    await page.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(() => page.locator("#list-message").textContent())
      .toBe("Could not load: filter by status or by reference, not both");
    await page.screenshot({ path: join(SHOTS, "merchant-list-filtered.png"), fullPage: true });
  });
});
