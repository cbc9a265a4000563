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
