import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { orderKey } from "../../../../lib/orders/storage/order-item.js";
import { bankOrderIdOf, useFunctions } from "../../../support/functions.js";

/**
 * Every lookup applies the bank's answer one way (`lookup.ts`): an unsigned
 * callback whose lookup changes nothing keeps an open order in the index of open orders,
 * as get-status, the merchant's refresh and the sweep do (an order stored before the
 * index existed joins it).
 */

const fx = useFunctions({ env: { STATUS_REFRESH_SECONDS: "1" } });

const item = async (orderId: string) =>
  (
    await fx
      .handlers()
      .doc.send(new GetCommand({ TableName: fx.tables().orders, Key: orderKey(orderId) }))
  ).Item as Record<string, unknown>;

/** An open order as an item from before the index would be: no openShard, no createdKey. */
async function openOrderWithoutIndex() {
  const answer = await fx.postOrder({ items: [{ productId: "sku-cup", quantity: 1 }] });
  const orderId = answer.body.orderId as string;
  await fx.handlers().doc.send(
    new UpdateCommand({
      TableName: fx.tables().orders,
      Key: orderKey(orderId),
      UpdateExpression: "REMOVE openShard, createdKey",
    }),
  );
  expect((await item(orderId)).openShard).toBeUndefined();
  return { orderId, bankOrderId: await bankOrderIdOf(fx, orderId) };
}

describe("one path for the bank's answer to a lookup", () => {
  it("an unsigned callback that changes nothing puts an open order back in the open index", async () => {
    const { orderId, bankOrderId } = await openOrderWithoutIndex();
    const raw = Buffer.from(
      JSON.stringify({ event: "order_payment", body: { order_id: bankOrderId } }),
    );
    expect((await fx.callback(raw)).body).toMatchObject({ outcome: "unchanged" });
    const after = await item(orderId);
    expect(after.openShard).toMatch(/^open#\d$/);
    expect(after.lastBankCheckAt).toEqual(expect.any(Number));
  });

  it("so does get-status", async () => {
    const { orderId } = await openOrderWithoutIndex();
    expect((await fx.getOrder(orderId)).status).toBe(200);
    expect((await item(orderId)).openShard).toMatch(/^open#\d$/);
  });
});
