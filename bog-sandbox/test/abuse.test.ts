import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { createOrder, get, post, token, validOrder } from "./support/bank-calls.js";
import { useSandbox } from "./support/sandbox-fixture.js";

/** What an attacker or a careless client sends: a clear 4xx, the process alive, no money moved twice. */

const { sandbox, receiver } = useSandbox();

type Json = Record<string, unknown>;

async function paidOrder(overrides: Json = {}, callbackUrl = receiver().url) {
  const accessToken = await token(sandbox());
  const created = await createOrder(sandbox(), accessToken, validOrder(callbackUrl, overrides));
  expect(created.status, created.text).toBe(200);
  const id = created.body.id as string;
  await post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
  return { id, accessToken };
}

const receipt = async (id: string) => (await get(sandbox(), `/_sandbox/orders/${id}`)).body;

/** A raw HTTP/1.1 request line, as curl --path-as-is would send it. */
function rawRequest(target: string): Promise<string> {
  const { port } = new URL(sandbox().url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.end(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString();
    });
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("the sandbox under attack", () => {
  it("a redirect URL with non-ASCII characters is sent percent-encoded after a click; the process lives", async () => {
    const accessToken = await token(sandbox());
    const created = await createOrder(
      sandbox(),
      accessToken,
      validOrder(receiver().url, { redirect_urls: { success: "https://shop.example/წარმატება" } }),
    );
    const id = created.body.id as string;
    const click = await fetch(`${sandbox().url}/payment/${id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "outcome=completed&method=card",
      redirect: "manual",
    });
    expect(click.status).toBe(303);
    expect(click.headers.get("location")).toBe(
      "https://shop.example/%E1%83%AC%E1%83%90%E1%83%A0%E1%83%9B%E1%83%90%E1%83%A2%E1%83%94%E1%83%91%E1%83%90",
    );
    expect((await get(sandbox(), "/_sandbox/stats")).status).toBe(200);
  });

  it("a URL with a line break is refused, naming the field", async () => {
    const accessToken = await token(sandbox());
    const answer = await createOrder(
      sandbox(),
      accessToken,
      validOrder(receiver().url, {
        redirect_urls: { fail: "https://shop.example/fail\r\nSet-Cookie: x=1" },
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain("redirect_urls.fail must not contain control characters");
  });

  it("50 refunds at once with one Idempotency-Key: one refund, one answer", async () => {
    const { id, accessToken } = await paidOrder();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        post(
          sandbox(),
          `/payments/v1/payment/refund/${id}`,
          { amount: 1 },
          {
            authorization: `Bearer ${accessToken}`,
            "idempotency-key": key,
          },
        ),
      ),
    );
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers[0]?.status).toBe(200);
    const after = await receipt(id);
    expect(after.purchase_units).toMatchObject({ refund_amount: "1.0" });
    expect(after.actions).toHaveLength(1);
  });

  it("one Idempotency-Key for an order, however its id is spelled", async () => {
    const { id, accessToken } = await paidOrder();
    const key = randomUUID();
    for (const spelled of [id, id.toUpperCase(), id.replaceAll("-", "%2D")]) {
      const answer = await post(
        sandbox(),
        `/payments/v1/payment/refund/${spelled}`,
        { amount: 1 },
        {
          authorization: `Bearer ${accessToken}`,
          "idempotency-key": key,
        },
      );
      expect(answer.status).toBe(200);
    }
    expect((await receipt(id)).actions).toHaveLength(1);
  });

  it("the bank's answer to a refund does not wait for the shop's callback endpoint", async () => {
    // A shop whose callback endpoint holds every request until the test lets it go.
    const held: ServerResponse[] = [];
    let arrived: () => void = () => {};
    const callbackArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const slowShop = createServer((req: IncomingMessage, res) => {
      req.resume();
      held.push(res);
      if (held.length === 2) arrived();
    });
    await new Promise<void>((resolve) => slowShop.listen(0, "127.0.0.1", resolve));
    const slowUrl = `http://127.0.0.1:${(slowShop.address() as AddressInfo).port}/cb`;
    try {
      const accessToken = await token(sandbox());
      const created = await createOrder(sandbox(), accessToken, validOrder(slowUrl));
      const id = created.body.id as string;
      // The control's pay awaits its first attempt by design: let it go at once.
      const paying = post(sandbox(), `/_sandbox/orders/${id}/pay`, { outcome: "completed" });
      while (held.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
      held[0]?.writeHead(200).end();
      await paying;
      const refund = await post(
        sandbox(),
        `/payments/v1/payment/refund/${id}`,
        { amount: 1 },
        {
          authorization: `Bearer ${accessToken}`,
        },
      );
      expect(refund.status).toBe(200);
      await callbackArrived;
      // The refund's callback is still held by the shop, unanswered, yet the bank has answered.
      expect(held[1]?.writableEnded).toBe(false);
    } finally {
      for (const res of held) if (!res.writableEnded) res.writeHead(200).end();
      slowShop.closeAllConnections();
      await new Promise<void>((resolve) => slowShop.close(() => resolve()));
    }
  });

  it.each(["//a:b/", "//[", "//a:99999/", "//x/_sandbox/stats"])(
    "a request target %s is answered 4xx, never 500 and never served as another path",
    async (target) => {
      const answer = await rawRequest(target);
      expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    },
  );

  it("a million bytes of wrong payment methods get a bounded message", async () => {
    const accessToken = await token(sandbox());
    const answer = await createOrder(
      sandbox(),
      accessToken,
      validOrder(receiver().url, { payment_method: Array.from({ length: 400_000 }, () => 0) }),
    );
    expect(answer.status).toBe(400);
    expect(answer.text.length).toBeLessThan(10_000);
    expect(answer.body.message).toContain("and 399980 more problem(s)");
  });

  it("a callback_url on the sandbox itself is never called: another merchant cannot drive its controls", async () => {
    const victim = await paidOrder();
    const otherToken = (
      await fetch(`${sandbox().url}/auth/realms/bog/protocol/openid-connect/token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from("other-client:other-secret").toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      }).then((r) => r.json() as Promise<{ access_token: string }>)
    ).access_token;
    const evil = await createOrder(
      sandbox(),
      otherToken,
      validOrder(`${sandbox().url}/_sandbox/orders/${victim.id}/refund`),
    );
    expect(evil.status).toBe(200);
    const paid = await post(sandbox(), `/_sandbox/orders/${evil.body.id}/pay`, {
      outcome: "completed",
    });
    expect(paid.body.callback).toMatchObject({
      delivered: false,
      error: "not sent: the callback_url is the sandbox itself",
    });
    expect((await receipt(victim.id)).order_status).toMatchObject({ key: "completed" });
  });

  it.each([[100], [199]])("a fault status %i (no final answer) is refused", async (status) => {
    const answer = await post(sandbox(), "/_sandbox/faults", { target: "receipt", status });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe("status must be an HTTP status code (200-599)");
  });

  it("the clock goes at most 100 years ahead", async () => {
    const year = 31_536_000;
    for (let i = 0; i < 100; i += 1) {
      expect((await post(sandbox(), "/_sandbox/clock", { advanceSeconds: year })).status).toBe(200);
    }
    const beyond = await post(sandbox(), "/_sandbox/clock", { advanceSeconds: year });
    expect(beyond.status).toBe(400);
    expect((await get(sandbox(), "/_sandbox/clock")).status).toBe(200);
  });

  it("a saved card's charge is paid by that card: another method is refused", async () => {
    const accessToken = await token(sandbox());
    const auth = { authorization: `Bearer ${accessToken}` };
    const parent = await createOrder(sandbox(), accessToken, validOrder(receiver().url));
    const parentId = parent.body.id as string;
    const saved = await fetch(`${sandbox().url}/payments/v1/orders/${parentId}/cards`, {
      method: "PUT",
      headers: auth,
    });
    expect(saved.status).toBe(202);
    await post(sandbox(), `/_sandbox/orders/${parentId}/pay`, { outcome: "completed" });
    const charge = (overrides: Json) =>
      post(
        sandbox(),
        `/payments/v1/ecommerce/orders/${parentId}`,
        validOrder(receiver().url, overrides),
        auth,
      );
    const p2p = await charge({ payment_method: ["bog_p2p"] });
    expect(p2p.status).toBe(400);
    expect(p2p.body.message).toContain("payment_method of a saved card's charge may only be");
    const wallet = await charge({
      payment_method: ["card"],
      config: { google_pay: { external: true, google_pay_token: "t" } },
    });
    expect(wallet.status).toBe(400);
    expect((await charge({ payment_method: ["card"] })).status).toBe(200);
  });

  it("Accept-Language with a region or a list is read by its first language", async () => {
    const accessToken = await token(sandbox());
    for (const header of ["en-US", "en-US,en;q=0.9", "EN"]) {
      const created = await createOrder(sandbox(), accessToken, validOrder(receiver().url), {
        "accept-language": header,
      });
      expect(created.status).toBe(200);
      expect((await receipt(created.body.id as string)).lang).toBe("en");
    }
  });
});
