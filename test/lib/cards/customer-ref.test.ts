import { describe, expect, it } from "vitest";
import { customerRefParam } from "../../../lib/cards/customer-ref.js";
import { DomainError } from "../../../lib/domain-error.js";

/**
 * The customerRef of a merchant API path: kept as given, or refused naming the path
 * parameter.
 */

describe("the customerRef of a path", () => {
  const refusal = (value: string | undefined) => {
    try {
      customerRefParam(value);
    } catch (error) {
      return error;
    }
    throw new Error("accepted");
  };

  it("is kept as given when it is one", () => {
    expect(customerRefParam("cust-42")).toBe("cust-42");
  });

  it("missing: 400", () => {
    expect(refusal(undefined)).toBeInstanceOf(DomainError);
    expect(refusal(undefined)).toMatchObject({ code: "invalid_request" });
  });

  it("with a /: 400 naming the path parameter and what is wrong", () => {
    expect(refusal("a/b")).toMatchObject({
      code: "invalid_request",
      message: "customerRef must not contain /",
      details: [{ path: "path.customerRef", message: "customerRef must not contain /" }],
    });
  });
});
