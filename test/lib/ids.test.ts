import { describe, expect, it } from "vitest";
import { derivedUuidV4, isUuid, isUuidV4 } from "../../lib/ids.js";

/** Our order ids and Idempotency-Keys: UUIDs, exactly, in either case; keys version 4. */

const v4 = "0f8fad5b-d9cb-469f-a165-70867728950e";
const v1 = "6fa459ea-ee8a-11ca-9e3d-00a0c91e6bf6";

/** The same UUID with one group changed: each rule applies to every group. */
const groups = (id: string, i: number, change: (group: string) => string) =>
  id
    .split("-")
    .map((g, j) => (j === i ? change(g) : g))
    .join("-");

describe("ids", () => {
  it("a UUID in lower or upper case, any version", () => {
    for (const id of [v4, v4.toUpperCase(), v1]) expect(isUuid(id)).toBe(true);
    for (const id of [v4, v4.toUpperCase()]) expect(isUuidV4(id)).toBe(true);
  });

  it("version 4 only for a key: its version digit and variant", () => {
    expect(isUuidV4(v1)).toBe(false);
    expect(isUuidV4(v4.replace("-469f-", "-569f-"))).toBe(false);
    for (const variant of ["0", "7", "c", "f"])
      expect(isUuidV4(v4.replace("-a165-", `-${variant}165-`))).toBe(false);
    for (const variant of ["8", "9", "a", "b", "B"])
      expect(isUuidV4(v4.replace("-a165-", `-${variant}165-`))).toBe(true);
  });

  it.each([0, 1, 2, 3, 4])(
    "group %i: one hex digit more or less, or a non-hex one, is refused",
    (i) => {
      for (const check of [isUuid, isUuidV4]) {
        expect(check(groups(v4, i, (g) => `${g}0`))).toBe(false);
        expect(check(groups(v4, i, (g) => g.slice(1)))).toBe(false);
        expect(check(groups(v4, i, (g) => `${g.slice(0, -1)}g`))).toBe(false);
      }
    },
  );

  it("nothing before or after it, and no other separators", () => {
    for (const check of [isUuid, isUuidV4]) {
      expect(check(` ${v4}`)).toBe(false);
      expect(check(`${v4}\n`)).toBe(false);
      expect(check(`x${v4}`)).toBe(false);
      expect(check(`${v4}0`)).toBe(false);
      expect(check(v4.replaceAll("-", ""))).toBe(false);
      expect(check(v4.replace("-", "_"))).toBe(false);
      expect(check("")).toBe(false);
    }
  });

  it("a key derived from a seed: the same seed gives the same version 4 UUID, from its SHA-256", () => {
    // sha256("order 3f0c1c5e") = f2f37bde2639a049ebfd0230bd56bd81…: its first 32 hex digits,
    // with the version (4) and variant (8) digits set.
    expect(derivedUuidV4("order 3f0c1c5e")).toBe("f2f37bde-2639-4049-8bfd-0230bd56bd81");
    expect(derivedUuidV4("order 3f0c1c5e")).toBe(derivedUuidV4("order 3f0c1c5e"));
    expect(derivedUuidV4("order 3f0c1c5f")).not.toBe(derivedUuidV4("order 3f0c1c5e"));
    for (const seed of ["", "a", "order 1", "ключ"])
      expect(isUuidV4(derivedUuidV4(seed))).toBe(true);
  });
});
