import { describe, expect, it } from "vitest";
import {
  DOMAIN_ERROR_CODES,
  DomainError,
  invalidRequest,
  secondsUntil,
} from "../../../lib/domain-error.js";
import { StorageUnavailableError } from "../../../lib/dynamo/storage-errors.js";
import {
  BankRejectedError,
  BankResponseError,
  BankUnauthorizedError,
  BankUnavailableError,
} from "../../../lib/errors.js";
import { ApiError } from "../../../lib/http/api-error.js";
import { httpErrors } from "../../../lib/http/error-handler.js";
import type { HttpResult } from "../../../lib/http/response.js";
import type { Log } from "../../../lib/log.js";

type Line = { level: "info" | "error"; message: string; fields: Record<string, unknown> };

/** What the one error table answers for `error`, as a caller sees it. */
async function answerTo(error: unknown): Promise<{
  status: number;
  headers: Record<string, unknown>;
  body: { error: { code: string; message: string; details?: unknown } };
  lines: Line[];
}> {
  const request = { error, response: undefined as HttpResult | undefined };
  const lines: Line[] = [];
  const log = {
    info: (message: string, fields: Record<string, unknown>) =>
      lines.push({ level: "info", message, fields }),
    error: (message: string, fields: Record<string, unknown>) =>
      lines.push({ level: "error", message, fields }),
  } as unknown as Log;
  await httpErrors(log).onError?.(request as never);
  const result = request.response as unknown as HttpResult;
  return {
    status: result.statusCode,
    headers: (result.headers ?? {}) as Record<string, unknown>,
    body: JSON.parse(result.body),
    lines,
  };
}

describe("a domain refusal's answer: one status per code", () => {
  const expected: Record<(typeof DOMAIN_ERROR_CODES)[number], number> = {
    invalid_request: 400,
    unknown_product: 400,
    invalid_signature: 401,
    order_not_found: 404,
    card_not_found: 404,
    idempotency_conflict: 409,
    invalid_state: 409,
    amount_exceeds_balance: 409,
    partial_not_allowed: 409,
    card_expired: 409,
    bank_rejected: 409,
    service_unavailable: 503,
  };

  it.each(DOMAIN_ERROR_CODES.map((code) => [code, expected[code]] as const))(
    "%s → %i, with the code and message as given",
    async (code, status) => {
      const answer = await answerTo(new DomainError(code, "what went wrong"));
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ error: { code, message: "what went wrong" } });
      expect(answer.headers["retry-after"]).toBeUndefined();
    },
  );

  it("details go into the body with their paths", async () => {
    const details = [{ path: "items.0.quantity", message: "must be at least 1" }];
    const answer = await answerTo(invalidRequest("the basket is wrong", details));
    expect(answer.body.error.details).toEqual(details);
  });

  it("is a DomainError by name, in logs too", () => {
    expect(new DomainError("invalid_state", "x").name).toBe("DomainError");
    expect(new ApiError(405, "invalid_request", "x").name).toBe("ApiError");
  });

  it("secondsUntil rounds up to whole seconds, and is at least 1", () => {
    expect(secondsUntil(10_000, 8_500)).toBe(2);
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 10_000)).toBe(1);
    expect(secondsUntil(10_000, 20_000)).toBe(1);
  });

  it("a refusal is logged at INFO with its code and reason, not as an error", async () => {
    const answer = await answerTo(new DomainError("invalid_state", "the order is final"));
    expect(answer.lines).toEqual([
      {
        level: "info",
        message: "request refused",
        fields: { code: "invalid_state", reason: "the order is final" },
      },
    ]);
  });

  it("a temporary refusal carries Retry-After in whole seconds", async () => {
    const answer = await answerTo(
      new DomainError("idempotency_conflict", "in progress", { retryAfterSeconds: 7 }),
    );
    expect(answer.status).toBe(409);
    expect(answer.headers["retry-after"]).toBe("7");
  });
});

describe("other failures", () => {
  it("an HTTP-level refusal is answered as it says", async () => {
    const answer = await answerTo(
      new ApiError(405, "invalid_request", "only POST", undefined, { allow: "POST" }),
    );
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("POST");
  });

  it("the bank busy or slow: 503 bank_unavailable, with the bank's Retry-After", async () => {
    const timeout = await answerTo(
      new BankUnavailableError("createOrder", "timeout", null, null, 3),
    );
    expect([timeout.status, timeout.body.error.code]).toEqual([503, "bank_unavailable"]);
    expect(timeout.headers["retry-after"]).toBeUndefined();
    const busy = await answerTo(new BankUnavailableError("createOrder", "status", 429, 30, 1));
    expect([busy.status, busy.headers["retry-after"]]).toEqual([503, "30"]);
    const down = await answerTo(new BankUnavailableError("createOrder", "status", 503, null, 3));
    expect(down.status).toBe(503);
  });

  it("the bank failing otherwise, refusing us or answering nonsense: 502 bank_unavailable", async () => {
    for (const [error, message] of [
      [
        new BankUnavailableError("createOrder", "status", 500, null, 3),
        "the bank did not answer; try again",
      ],
      [
        new BankUnavailableError("createOrder", "network", null, null, 3),
        "the bank did not answer; try again",
      ],
      [
        new BankRejectedError("createOrder", 400, "Invalid request"),
        "the bank refused the request",
      ],
      [
        new BankUnauthorizedError("the bank refused our credentials"),
        "the bank refused the request",
      ],
      [
        new BankResponseError("no id in the answer"),
        "the bank's answer could not be read; try again",
      ],
    ] as const) {
      const answer = await answerTo(error);
      expect([answer.status, answer.body.error.code]).toEqual([502, "bank_unavailable"]);
      expect(answer.body.error.message).toBe(message);
      expect(answer.lines.map((l) => [l.level, l.message])).toEqual([["error", "request failed"]]);
    }
  });

  it("our storage unavailable: 503 service_unavailable with Retry-After", async () => {
    const error = new StorageUnavailableError("stalled");
    const answer = await answerTo(error);
    expect([answer.status, answer.body.error.code]).toEqual([503, "service_unavailable"]);
    expect(answer.body.error.message).toBe("our storage did not answer in time; try again");
    expect(answer.lines).toEqual([
      { level: "error", message: "request failed", fields: { code: "service_unavailable", error } },
    ]);
    expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("anything else: 500 internal_error that says nothing about it", async () => {
    const answer = await answerTo(new Error("secret table name and a stack"));
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { code: "internal_error", message: "internal error" } });
  });
});
