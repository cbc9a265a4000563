import { describe, expect, it } from "vitest";
import { createOrder, get, post, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

const { sandbox, receiver } = useSandbox();

async function newOrder(
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const accessToken = await token(sandbox());
  const created = await createOrder(
    sandbox(),
    accessToken,
    validOrder(receiver().url, overrides),
    headers,
  );
  const links = created.body._links as { redirect: { href: string } };
  return { id: created.body.id as string, page: links.redirect.href, accessToken };
}

function click(id: string, outcome: "completed" | "rejected", method = "card") {
  return fetch(`${sandbox().url}/payment/${id}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ outcome, method }).toString(),
    redirect: "manual",
  });
}

describe("sandbox payment page", () => {
  it("shows the shop, the items, the amount and Pay / Decline, in Georgian by default", async () => {
    const { page } = await newOrder();
    const response = await fetch(page);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain('<html lang="ka">');
    expect(html).toContain("სანდბოქს მაღაზია");
    expect(html).toContain("Espresso cup");
    expect(html).toContain("Spoon");
    expect(html).toContain("28.00 GEL");
    expect(html).toMatch(/<button[^>]*value="completed"[^>]*>გადახდა<\/button>/);
    expect(html).toMatch(/<button[^>]*value="rejected"[^>]*>უარყოფა<\/button>/);
  });

  it("speaks English and goes dark when the order asked for it", async () => {
    const { page } = await newOrder({}, { "accept-language": "en", theme: "dark" });
    const html = await (await fetch(page)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Sandbox Shop");
    expect(html).toContain(">Pay</button>");
    expect(html).toContain("color-scheme: dark");
  });

  it("escapes what the shop sent", async () => {
    const { page } = await newOrder({
      purchase_units: {
        total_amount: 1,
        basket: [
          {
            product_id: "x",
            description: '<script>alert("x")</script>',
            quantity: 1,
            unit_price: 1,
          },
        ],
      },
    });
    const html = await (await fetch(page)).text();
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&#60;script&#62;");
  });

  it("Pay completes the order, sends the callback, then sends the browser to the success URL", async () => {
    const { id, page } = await newOrder();
    const response = await click(id, "completed");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("http://127.0.0.1:9/success");
    const [callback] = await receiver().waitFor(1);
    expect(JSON.parse(callback?.raw.toString("utf8") ?? "{}").body.order_status.key).toBe(
      "completed",
    );
    const after = await (await fetch(page)).text();
    expect(after).toContain('data-status="completed"');
    expect(after).not.toContain("<form");
  });

  it("Decline rejects the order and sends the browser to the fail URL", async () => {
    const { id } = await newOrder();
    const response = await click(id, "rejected");
    expect(response.headers.get("location")).toBe("http://127.0.0.1:9/fail");
    const order = await get(sandbox(), `/_sandbox/orders/${id}`);
    expect(order.body.order_status).toMatchObject({ key: "rejected" });
  });

  it("without shop redirect URLs, ends on the bank's own receipt page", async () => {
    const { id } = await newOrder({ redirect_urls: undefined });
    const response = await click(id, "completed");
    const location = response.headers.get("location") ?? "";
    expect(location).toBe(`${sandbox().url}/receipt?order_id=${id}`);
    const receiptPage = await (await fetch(location)).text();
    expect(receiptPage).toContain("გადახდა წარმატებულია");
  });

  it("a second click changes nothing", async () => {
    const { id } = await newOrder();
    await click(id, "completed");
    const again = await click(id, "rejected");
    expect(again.status).toBe(409);
    expect((await get(sandbox(), `/_sandbox/orders/${id}`)).body.order_status).toMatchObject({
      key: "completed",
    });
  });

  it("an expired order shows as expired, ends rejected with reject_reason expiration, and is reported", async () => {
    const { id, page } = await newOrder({ ttl: 2 });
    await post(sandbox(), "/_sandbox/clock", { advanceSeconds: 121 });
    const html = await (await fetch(page)).text();
    expect(html).toContain("შეკვეთის ვადა ამოიწურა.");
    expect(html).not.toContain("<form");
    const order = await get(sandbox(), `/_sandbox/orders/${id}`);
    expect(order.body).toMatchObject({
      order_status: { key: "rejected" },
      reject_reason: "expiration",
    });
    const [callback] = await receiver().waitFor(1);
    expect(JSON.parse(callback?.raw.toString("utf8") ?? "{}").body.reject_reason).toBe(
      "expiration",
    );
    expect((await click(id, "completed")).status).toBe(409);
  });

  it("refuses a payment method the order does not allow", async () => {
    const { id } = await newOrder({ payment_method: ["google_pay"] });
    const response = await click(id, "completed", "bog_p2p");
    expect(response.status).toBe(400);
  });

  it("lets google_pay and apple_pay orders be paid by card too (the document's payment_method)", async () => {
    for (const method of ["google_pay", "apple_pay"]) {
      const { id } = await newOrder({ payment_method: [method] });
      const page = await (await fetch(`${sandbox().url}/?order_id=${id}`)).text();
      expect(page).toContain(`<option value="card">card</option>`);
      const response = await click(id, "completed", "card");
      expect(response.status).toBe(303);
      const receipt = (await get(sandbox(), `/_sandbox/orders/${id}`)).body as {
        payment_detail: { transfer_method: { key: string } };
      };
      expect(receipt.payment_detail.transfer_method.key).toBe("card");
    }
  });

  it("offers every method when payment_method is empty (the document's payment_method)", async () => {
    const { id } = await newOrder({ payment_method: [] });
    const page = await (await fetch(`${sandbox().url}/?order_id=${id}`)).text();
    for (const method of [
      "card",
      "google_pay",
      "apple_pay",
      "bog_p2p",
      "bog_loyalty",
      "bnpl",
      "bog_loan",
      "gift_card",
    ]) {
      expect(page).toContain(`<option value="${method}">${method}</option>`);
    }
  });

  it("404 page for an unknown order; an index page without one", async () => {
    const unknown = await fetch(`${sandbox().url}/?order_id=3b241101-e2bb-4255-8caf-4136c566a962`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("Order not found.");
    expect((await fetch(`${sandbox().url}/`)).status).toBe(200);
  });
});
