import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, SHOTS } from "../support/e2e-browser.js";
import { npmStart, type StartedStack } from "../support/npm-start.js";

/**
 * Saved cards (docs/saved-cards.md) in Debian's chromium against the whole local stack: a card
 * saved during a merchant order paid on the sandbox's page appears in the back office
 * (/merchant?customer=…) with the bank's mask; a `recurrent` card's charge sends the
 * customer to the bank's page, which shows the saved card, and their click completes
 * it; the back office deletes the card. Screenshots go to test-results/e2e/.
 */

let stack: StartedStack;
let browser: Browser;
let page: Page;
const confirmations: string[] = [];

beforeAll(async () => {
  stack = await npmStart();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => {
    confirmations.push(dialog.message());
    void dialog.accept();
  });
});

afterAll(async () => {
  await browser?.close();
  expect(await stack?.stop()).toBe(0);
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

const basket = (unitPrice: string) => ({
  currency: "GEL",
  locale: "en",
  items: [{ productId: "beans", description: "Coffee beans", quantity: 1, unitPrice }],
});

/** The customer pays on the bank's page and lands on the shop's result page. */
async function payOnBankPage(redirectUrl: string): Promise<void> {
  await page.goto(redirectUrl);
  await page.getByRole("button", { name: "Pay" }).click();
  await page.waitForURL(/\/result\?order=/);
}

async function statusOf(orderId: string): Promise<unknown> {
  return (await api(`/merchant/orders/${orderId}`)).body.status;
}

describe("saved cards in a browser", () => {
  it("a card saved while paying shows in the back office; a recurrent charge is confirmed by the customer on the bank's page; the back office deletes it", async () => {
    const customerRef = `cust-e2e-${randomUUID().slice(0, 8)}`;

    // The shop's backend asks for the card to be saved; the customer pays in the browser.
    const created = await api("/merchant/orders", {
      ...basket("18.00"),
      saveCard: "recurrent",
      customerRef,
    });
    expect(created.status).toBe(201);
    const cardId = created.body.orderId as string;
    await payOnBankPage(created.body.redirectUrl as string);
    await expect.poll(() => statusOf(cardId), { timeout: 10_000 }).toBe("completed");

    // The operator looks the customer up in the back office.
    await page.goto(`${stack.apiUrl}/merchant`);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByLabel("Customer (customerRef)").fill(customerRef);
    await page.getByRole("button", { name: "Show cards" }).click();
    await page.waitForURL(/\/merchant\?customer=/);
    const row = page.locator(`tr[data-card-id="${cardId}"]`);
    await row.waitFor();
    const [listed] = (await api(`/merchant/customers/${customerRef}/cards`)).body.cards as Json[];
    expect(listed?.cardMask).toMatch(/^\d{6}\*+\d{4}$/);
    expect(await row.locator("td").allTextContents()).toEqual([
      listed?.cardMask,
      listed?.cardType,
      listed?.expiry,
      "With the customer",
      cardId,
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      "Delete",
    ]);
    await page.screenshot({ path: join(SHOTS, "merchant-cards-list.png"), fullPage: true });

    // A recurrent card's charge: the customer confirms on the bank's page, which shows the card.
    const charge = await api(`/merchant/cards/${cardId}/charges`, basket("7.50"));
    expect(charge.status).toBe(201);
    await page.goto(charge.body.redirectUrl as string);
    expect(await page.getByTestId("saved-card").textContent()).toContain(
      listed?.cardMask as string,
    );
    await page.screenshot({ path: join(SHOTS, "merchant-cards-confirm.png"), fullPage: true });
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL(/\/result\?order=/);
    const chargeId = charge.body.orderId as string;
    await expect.poll(() => statusOf(chargeId), { timeout: 10_000 }).toBe("completed");
    expect((await api(`/merchant/orders/${chargeId}`)).body.amount).toBe("7.50");

    // The operator deletes the card: it leaves the list, and charging it is refused.
    await page.goto(`${stack.apiUrl}/merchant?customer=${encodeURIComponent(customerRef)}`);
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByText("This customer has no saved card.").waitFor();
    expect(confirmations).toEqual([`Delete card ${cardId}, at the bank too?`]);
    expect(await page.locator("#cards-message").textContent()).toBe("The card is deleted.");
    expect((await api(`/merchant/cards/${cardId}/charges`, basket("7.50"))).status).toBe(404);
  });
});
