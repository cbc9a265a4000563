import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOG_CALLBACK_PUBLIC_KEY_PEM } from "../../../lib/bog/bank-callback-key.js";
import {
  loadCallbackPublicKey,
  verifyCallbackSignature,
} from "../../../lib/bog/callback-signature.js";
import { VECTORS_DIR } from "../../support/paths.js";

const bankKey = loadCallbackPublicKey(BOG_CALLBACK_PUBLIC_KEY_PEM);
const read = (name: string) => readFileSync(join(VECTORS_DIR, name));
const vectors = [1, 2].map((n) => ({
  name: `callback-${n}`,
  body: read(`callback-${n}.body.json`),
  signature: read(`callback-${n}.signature.txt`).toString("utf8").trim(),
  validator: read(`callback-${n}.validator.txt`).toString("utf8").trim(),
}));

/**
 * SHA-256 of each genuine file as the bank's callbacks were handed to us (taken from the
 * originals when they were copied here): a changed byte in a fixture fails here, with
 * nothing outside the repository to read.
 */
const GENUINE_SHA256: Record<string, string> = {
  "bog-callback-public-key.pem": "61f871899baf2c2f6aa78af197e783ee2cc070f571fb0f8e4a212260faa08100",
  "callback-1.body.json": "0cc5d9c45fc599f3cba954ab683805fc3487e9faa3d04f0d55653ae08db9b885",
  "callback-1.signature.txt": "09f12b68bd6b8e5f428ef4591769df635be4259cd69efaea8992d003dd4aeeff",
  "callback-1.validator.txt": "a1b391a9f4169e9bc001ce8774ab7be072a07983dddab66998f39e735bd7e6bb",
  "callback-2.body.json": "e338f7cad166efa915f5a449fc22c62e663e18b84a8fcfdaf3c73b25305df635",
  "callback-2.signature.txt": "e21d97238da10d1a133a65bc338b3fe7ff11ba990a6ce0cc488b19e9679bb2d6",
  "callback-2.validator.txt": "fbc3b1f8b895addc2b7cbf8e3906b04ab5390496fbaac4eda7d80cce3dd812ca",
};

describe("callback signature: genuine bank callbacks", () => {
  it("the repo's copies are byte for byte the genuine ones", () => {
    for (const [file, digest] of Object.entries(GENUINE_SHA256))
      expect(createHash("sha256").update(read(file)).digest("hex"), file).toBe(digest);
  });

  it("the built-in key is the bank's published key", () => {
    expect(BOG_CALLBACK_PUBLIC_KEY_PEM).toBe(read("bog-callback-public-key.pem").toString("utf8"));
  });

  it.each(vectors)("$name verifies byte for byte", ({ body, signature }) => {
    expect(verifyCallbackSignature(body, signature, bankKey)).toBe(true);
  });

  it.each(vectors)(
    "$name: Callback-Validator verifies over the order id",
    ({ body, validator }) => {
      const orderId = (JSON.parse(body.toString("utf8")) as { body: { order_id: string } }).body
        .order_id;
      expect(verifyCallbackSignature(Buffer.from(orderId, "utf8"), validator, bankKey)).toBe(true);
      expect(verifyCallbackSignature(body, validator, bankKey)).toBe(false);
    },
  );

  it.each(vectors)("$name: every single changed byte is rejected", ({ body, signature }) => {
    let accepted = 0;
    for (let i = 0; i < body.length; i++) {
      const tampered = Buffer.from(body);
      tampered[i] = (tampered[i] as number) ^ 0x01;
      if (verifyCallbackSignature(tampered, signature, bankKey)) accepted += 1;
    }
    expect(accepted).toBe(0);
  });

  it.each(vectors)("$name: a re-serialised body is rejected", ({ body, signature }) => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8")), null, 1));
    expect(verifyCallbackSignature(reserialised, signature, bankKey)).toBe(false);
    const escaped = Buffer.from(
      JSON.stringify(JSON.parse(body.toString("utf8"))).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      ),
    );
    expect(verifyCallbackSignature(escaped, signature, bankKey)).toBe(false);
  });

  it.each(vectors)(
    "$name: whitespace around the header's value is not part of the signature",
    ({ body, signature }) => {
      expect(verifyCallbackSignature(body, ` ${signature}\r\n`, bankKey)).toBe(true);
    },
  );

  it.each(vectors)("$name: a changed signature is rejected", ({ body, signature }) => {
    const raw = Buffer.from(signature, "base64");
    for (const i of [0, 1, 100, raw.length - 1]) {
      const changed = Buffer.from(raw);
      changed[i] = (changed[i] as number) ^ 0x80;
      expect(verifyCallbackSignature(body, changed.toString("base64"), bankKey)).toBe(false);
    }
    const other = vectors.find((v) => v.signature !== signature)?.signature ?? "";
    expect(verifyCallbackSignature(body, other, bankKey)).toBe(false);
    expect(verifyCallbackSignature(body, "", bankKey)).toBe(false);
    expect(verifyCallbackSignature(body, "not base64!", bankKey)).toBe(false);
    expect(verifyCallbackSignature(body, signature.slice(0, -4), bankKey)).toBe(false);
  });

  it.each(vectors)(
    "$name: a non-canonical spelling of the signature is rejected",
    ({ body, signature }) => {
      // Node's base64 decoder ignores these, so they would decode to the same bytes.
      expect(verifyCallbackSignature(body, `${signature}!!`, bankKey)).toBe(false);
      expect(verifyCallbackSignature(body, signature.replace(/(.{10})/, "$1*"), bankKey)).toBe(
        false,
      );
      // The last character before "==" carries 4 unused bits: flipping one changes no byte.
      const last = signature.length - 3;
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      const value = alphabet.indexOf(signature[last] as string);
      const sibling = `${signature.slice(0, last)}${alphabet[value ^ 0x01]}${signature.slice(last + 1)}`;
      expect(Buffer.from(sibling, "base64").equals(Buffer.from(signature, "base64"))).toBe(true);
      expect(verifyCallbackSignature(body, sibling, bankKey)).toBe(false);
    },
  );

  it("a signature by another key is rejected", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const body = vectors[0]?.body as Buffer;
    const forged = sign("sha256", body, privateKey).toString("base64");
    expect(verifyCallbackSignature(body, forged, bankKey)).toBe(false);
  });

  it("refuses a key that is not RSA", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() =>
      loadCallbackPublicKey(publicKey.export({ type: "spki", format: "pem" }).toString()),
    ).toThrow(/RSA/);
  });
});
