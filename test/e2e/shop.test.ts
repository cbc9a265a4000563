import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, SHOTS } from "../support/e2e-browser.js";
import { npmStart, type StartedStack } from "../support/npm-start.js";

/**
 * A person buying in the demo shop, in Debian's chromium, against the whole local
 * stack: shop page → POST /orders → the sandbox's payment page → signed callback →
 * the result page. Screenshots of each final page go to test-results/e2e/.
 */

let stack: StartedStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await npmStart();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await stack?.stop()).toBe(0);
});

beforeEach(async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
  page = await context.newPage();
});

async function sandboxStats(): Promise<{ createOrder: number; ordersCreated: number }> {
  return (await (await fetch(`${stack.sandboxUrl}/_sandbox/stats`)).json()) as {
    createOrder: number;
    ordersCreated: number;
  };
}

async function fillCart(language: "English" | "ქართული" = "English") {
  await page.goto(`${stack.apiUrl}/`);
  await page.getByRole("button", { name: language }).click();
  const add = language === "English" ? "Add to cart" : "კალათაში დამატება";
  await page
    .getByRole("listitem")
    .filter({ hasText: "Espresso cup" })
    .getByRole("button", { name: add })
    .click();
  await page
    .getByRole("listitem")
    .filter({ hasText: "Churchkhela" })
    .getByRole("button", { name: add })
    .click();
  await expect.poll(() => page.getByTestId("cart-total").textContent()).toBe("16.00 GEL");
}

/** One click on a product's "Add to cart" (English page). */
async function add(product: string) {
  await page
    .getByRole("listitem")
    .filter({ hasText: product })
    .getByRole("button", { name: "Add to cart" })
    .click();
}

/** What the sandbox kept of an order's create-order request (payment methods, config). */
async function bankRequest(): Promise<{
  payment_method: string[];
  config: { loan: { type: string; month: number } | null };
  basket: { product_id: string; unit_discount_price: number; product_discount_id: string | null }[];
}> {
  const bankOrderId = new URL(page.url()).searchParams.get("order_id");
  const response = await fetch(`${stack.sandboxUrl}/_sandbox/orders/${bankOrderId}/request`);
  expect(response.status).toBe(200);
  return (await response.json()) as Awaited<ReturnType<typeof bankRequest>>;
}

async function toBank(payLabel = "Pay") {
  await page.getByRole("button", { name: payLabel }).click();
  await page.waitForURL((url) => url.href.startsWith(stack.sandboxUrl));
}

describe("the demo shop in a browser", () => {
  it("pay → the result page shows the order paid", async () => {
    await fillCart();
    await toBank();
    await expect.poll(() => page.getByTestId("amount").textContent()).toBe("16.00 GEL");
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(/\/result\?order=/);
    await page.waitForSelector('[data-testid="status"][data-status="completed"]');
    expect(await page.getByTestId("status").textContent()).toBe("Paid — thank you!");
    await page.screenshot({ path: join(SHOTS, "paid.png") });

    // A reload asks again and still shows it paid.
    await page.reload();
    await page.waitForSelector('[data-testid="status"][data-status="completed"]');
    await page.screenshot({ path: join(SHOTS, "paid-reloaded.png") });
  });

  it("decline → the result page shows the payment declined, in Georgian", async () => {
    await fillCart("ქართული");
    await toBank("გადახდა");
    await page.getByRole("button", { name: "უარყოფა" }).click();
    await page.waitForURL(/\/result\?order=/);
    await page.waitForSelector('[data-testid="status"][data-status="rejected"]');
    expect(await page.getByTestId("status").textContent()).toBe("გადახდა უარყოფილია");
    await page.screenshot({ path: join(SHOTS, "declined-ka.png") });
  });

  it("a second checkout of the same cart is the same order, not a second one", async () => {
    await fillCart();
    const before = await sandboxStats();
    await toBank();
    const firstBankPage = page.url();
    // The customer comes back from the bank and clicks Pay again.
    await page.goBack();
    await page.getByRole("button", { name: "Pay" }).waitFor();
    await toBank();
    expect(page.url()).toBe(firstBankPage);
    const after = await sandboxStats();
    expect(after.ordersCreated - before.ordersCreated).toBe(1);
    await page.screenshot({ path: join(SHOTS, "same-order.png") });
  });

  it("a double click on Pay makes one order", async () => {
    await fillCart();
    const before = await sandboxStats();
    await page.getByRole("button", { name: "Pay" }).dblclick();
    await page.waitForURL((url) => url.href.startsWith(stack.sandboxUrl));
    expect((await sandboxStats()).ordersCreated - before.ordersCreated).toBe(1);
  });
});

describe("installments and discounts in the demo shop", () => {
  it("a basket over the threshold offers installments; 12 months reach the bank's page", async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole("button", { name: "English" }).click();
    await add("Espresso machine");
    await expect.poll(() => page.getByTestId("cart-total").textContent()).toBe("649.00 GEL");
    const installments = page.getByRole("radio", { name: "Pay in installments" });
    await installments.check();
    await page.getByRole("combobox", { name: "Months" }).selectOption("12");
    expect(await page.getByText("sandbox-demo-loan").isVisible()).toBe(true);
    await page.screenshot({ path: join(SHOTS, "installments-choice.png") });
    await toBank();

    // The bank's page shows the plan and its months, and the amount the shop showed.
    await expect
      .poll(() => page.getByTestId("loan").textContent())
      .toBe("Installments (bog_loan): sandbox-demo-loan, 12 months");
    expect(await page.getByTestId("amount").textContent()).toBe("649.00 GEL");
    const sent = await bankRequest();
    expect(sent.payment_method).toEqual(["bog_loan"]);
    expect(sent.config.loan).toEqual({ type: "sandbox-demo-loan", month: 12 });
    await page.screenshot({ path: join(SHOTS, "installments-bank-page.png") });

    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(/\/result\?order=/);
    await page.waitForSelector('[data-testid="status"][data-status="completed"]');
  });

  it("the same basket paid in full sends no loan", async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole("button", { name: "English" }).click();
    await add("Espresso machine");
    await page.getByRole("radio", { name: "Pay in installments" }).check();
    // The customer changes their mind.
    await page.getByRole("radio", { name: "Pay in full" }).check();
    expect(await page.getByRole("combobox", { name: "Months" }).count()).toBe(0);
    await toBank();
    await page.getByTestId("amount").waitFor();
    expect(await page.getByTestId("loan").count()).toBe(0);
    const sent = await bankRequest();
    expect(sent.payment_method).toEqual([]);
    expect(sent.config.loan).toBeNull();
  });

  it("a discounted product shows its old price struck through and the discounted total", async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole("button", { name: "English" }).click();
    const mug = page.getByRole("listitem").filter({ hasText: "Travel mug" });
    expect(await mug.locator("s").textContent()).toBe("24.00");
    expect(await mug.locator(".new-price").textContent()).toBe("20.00 GEL");
    await add("Travel mug");
    await add("Travel mug");
    await add("Churchkhela");
    // 2 × (24.00 − 4.00) + 3.50
    await expect.poll(() => page.getByTestId("cart-total").textContent()).toBe("43.50 GEL");
    const line = page.locator("#cart-lines li").filter({ hasText: "Travel mug" });
    expect(await line.locator("s").textContent()).toBe("24.00");
    expect(await line.locator(".price").textContent()).toBe("40.00 GEL");
    await page.screenshot({ path: join(SHOTS, "discount-cart.png") });

    // The bank's page charges the same total and shows the discount.
    await toBank();
    await expect.poll(() => page.getByTestId("amount").textContent()).toBe("43.50 GEL");
    const mugRow = page.getByRole("row").filter({ hasText: "Travel mug" });
    expect(await mugRow.getByTestId("item-discount").textContent()).toBe("−4.00 (demo-mug-sale)");
    const mugSent = (await bankRequest()).basket.find((item) => item.product_id === "travel-mug");
    expect(mugSent).toMatchObject({ unit_discount_price: 4, product_discount_id: "demo-mug-sale" });
    await page.screenshot({ path: join(SHOTS, "discount-bank-page.png") });
  });

  it("a basket under the threshold shows no installments choice", async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole("button", { name: "English" }).click();
    // 14 discounted mugs: 14 × 20.00 = 280.00, under 300.00 (undiscounted it would be 336.00).
    for (let i = 0; i < 14; i++) await add("Travel mug");
    await expect.poll(() => page.getByTestId("cart-total").textContent()).toBe("280.00 GEL");
    expect(await page.getByRole("radio", { name: "Pay in installments" }).count()).toBe(0);
    expect(await page.getByText("Installments are available from 300.00 GEL.").isVisible()).toBe(
      true,
    );
    // Two more mugs cross it: the threshold counts the discounted total.
    await add("Travel mug");
    await add("Travel mug");
    await expect.poll(() => page.getByTestId("cart-total").textContent()).toBe("320.00 GEL");
    expect(await page.getByRole("radio", { name: "Pay in installments" }).isVisible()).toBe(true);
  });

  it("the installments choice speaks Georgian too", async () => {
    await page.goto(`${stack.apiUrl}/`);
    await page.getByRole("button", { name: "ქართული" }).click();
    await page
      .getByRole("listitem")
      .filter({ hasText: "Espresso machine" })
      .getByRole("button", { name: "კალათაში დამატება" })
      .click();
    await page.getByRole("radio", { name: "განვადებით" }).check();
    await page.getByRole("combobox", { name: "თვეების რაოდენობა" }).selectOption("6");
    await toBank("გადახდა");
    await expect
      .poll(() => page.getByTestId("loan").textContent())
      .toBe("განვადება (bog_loan): sandbox-demo-loan, 6 თვე");
  });
});
