import { type PaymentDetails, parsePaymentDetails } from "../lib/bog/payment-details.js";
import { BankResponseError } from "../lib/errors.js";
import { SANDBOX, type Shape } from "./bank-check-expectations.js";
import type { Report } from "./bank-check-report.js";

/**
 * The payment details as the bank sent them, held against the product's parser
 * (lib/bog/payment-details.ts) and the sandbox's shape. Which fields the parser reads
 * is not a list kept by hand: the parser runs on a recording view of the bank's JSON,
 * so the list is whatever the parser asks for today. Only field names are printed,
 * never their values (a payment's details hold the buyer's contact and a masked card).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Every property path the parser asks for, present or not ("a.b"). A list it reads
 * (`actions`) counts as one field: what it reads inside the elements is its own business.
 */
export function fieldsTheParserReads(raw: Json): string[] {
  const read = new Set<string>();
  const view = (value: object, path: string): object =>
    new Proxy(value, {
      get(target, prop, receiver) {
        const result: unknown = Reflect.get(target, prop, receiver);
        if (typeof prop !== "string" || Array.isArray(target)) return result;
        const here = path === "" ? prop : `${path}.${prop}`;
        read.add(here);
        return typeof result === "object" && result !== null ? view(result, here) : result;
      },
    });
  try {
    parsePaymentDetails(view(raw, ""));
  } catch (error) {
    if (!(error instanceof BankResponseError)) throw error;
  }
  // A path the parser went into is not a field of its own: keep the ends.
  const paths = [...read];
  return paths.filter((p) => !paths.some((q) => q.startsWith(`${p}.`))).sort();
}

function isPresent(raw: Json, path: string): boolean {
  let here: unknown = raw;
  for (const key of path.split(".")) {
    if (!isObject(here) || !Object.hasOwn(here, key)) return false;
    here = here[key];
  }
  return true;
}

/** Every leaf path of the JSON; an array's elements as "[]". */
function leafPaths(value: unknown, path = ""): string[] {
  const join = (key: string) => (path === "" ? key : `${path}.${key}`);
  if (Array.isArray(value)) {
    const inner = value.flatMap((item) => leafPaths(item, `${path}[]`));
    return inner.length === 0 ? [path] : [...new Set(inner)];
  }
  if (isObject(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, join(key)));
  }
  return [path];
}

/** Fields the bank sent that the sandbox does not, and the reverse (objects the bank left null aside). */
function compareWithShape(
  value: Json,
  shape: Shape,
  path = "",
): { extra: string[]; missing: string[] } {
  const extra: string[] = [];
  const missing: string[] = [];
  const join = (key: string) => (path === "" ? key : `${path}.${key}`);
  for (const [key, item] of Object.entries(value)) {
    const expected = shape[key];
    if (expected === undefined || key === "[]") {
      extra.push(join(key));
      continue;
    }
    if (expected === "leaf") continue;
    const elements = expected["[]"];
    if (Array.isArray(item) && elements !== undefined && elements !== "leaf") {
      for (const element of item) {
        if (!isObject(element)) continue;
        const inner = compareWithShape(element, elements, `${join(key)}[]`);
        extra.push(...inner.extra);
        missing.push(...inner.missing);
      }
    } else if (isObject(item)) {
      const inner = compareWithShape(item, expected, join(key));
      extra.push(...inner.extra);
      missing.push(...inner.missing);
    }
  }
  for (const key of Object.keys(shape)) {
    if (key !== "[]" && !Object.hasOwn(value, key)) missing.push(join(key));
  }
  return { extra: [...new Set(extra)], missing: [...new Set(missing)] };
}

const list = (paths: readonly string[]) => paths.join(", ");

/**
 * Checks one answer of payment details: parsed by the product; every field the
 * parser reads present (or absent as in the genuine callbacks); the fields it does not read
 * passed over without harm; the status and the discount block kept as written; the
 * shape compared with the sandbox's. Null when the product cannot read it at all.
 */
export function checkPaymentDetails(raw: Json, report: Report): PaymentDetails | null {
  let parsed: PaymentDetails;
  try {
    parsed = parsePaymentDetails(raw);
  } catch (error) {
    report.failed(`the product cannot read these payment details: ${(error as Error).message}`);
    return null;
  }
  report.ok("the product's parser read them");

  const read = fieldsTheParserReads(raw);
  const absentAsInGenuine = read.filter(
    (p) => !isPresent(raw, p) && SANDBOX.mayBeAbsent.includes(p),
  );
  const missing = read.filter((p) => !isPresent(raw, p) && !absentAsInGenuine.includes(p));
  const present = read.filter((p) => isPresent(raw, p));
  if (missing.length === 0) {
    report.ok(`the fields the product reads, all present (${present.length}): ${list(present)}`);
  } else {
    report.note(
      `the fields the product reads that are present (${present.length}): ${list(present)}`,
    );
  }
  for (const path of missing) {
    report.failed(`the product reads ${path}; the bank did not send it (the sandbox does)`);
  }
  if (absentAsInGenuine.length > 0) {
    report.ok(
      `absent, as in the bank's genuine callbacks (the sandbox sends them): ${list(absentAsInGenuine)}`,
    );
  }

  const passedOver = leafPaths(raw).filter(
    (leaf) =>
      !read.some((r) => leaf === r || leaf.startsWith(`${r}.`) || leaf.startsWith(`${r}[]`)),
  );
  report.note(
    `fields the product does not read, passed over without harm (${passedOver.length}): ${list(passedOver)}`,
  );

  const written = isObject(raw.order_status) ? raw.order_status.key : undefined;
  if (parsed.status === written && parsed.knownStatus !== null) {
    report.ok(`status "${parsed.status}" kept as written, and one the product knows`);
  } else {
    report.failed(
      `status "${parsed.status}" is not one the product knows (kept aside, the order would not move)`,
    );
  }
  if (isObject(raw.discount)) {
    const whole = JSON.stringify(parsed.discount?.raw) === JSON.stringify(raw.discount);
    if (whole) report.ok("the discount block is kept whole, fields we do not know included");
    else report.failed("the discount block is not kept as the bank sent it");
  }

  // Fields said above (read and missing, or absent as in genuine callbacks) are not said twice.
  const shape = compareWithShape(raw, SANDBOX.receipt);
  const extra = shape.extra;
  const vanished = shape.missing.filter(
    (p) => !missing.includes(p) && !SANDBOX.mayBeAbsent.includes(p),
  );
  if (extra.length > 0) {
    report.differs(`the bank sends fields the sandbox does not: ${list(extra)}`);
  }
  if (vanished.length > 0) {
    report.differs(`the sandbox sends fields the bank did not: ${list(vanished)}`);
  }
  if (extra.length === 0 && vanished.length === 0) {
    const left = shape.missing.filter((p) => SANDBOX.mayBeAbsent.includes(p));
    report.ok(
      left.length === 0
        ? "the same fields as the sandbox's payment details"
        : `the same fields as the sandbox's payment details, but for what genuine callbacks leave out: ${list(left)}`,
    );
  }
  return parsed;
}
