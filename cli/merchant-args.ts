import { BANK_STATUSES } from "../lib/bog/statuses.js";
import { MAX_CUSTOMER_REF } from "../lib/cards/customer-ref.js";
import { isUuid, isUuidV4 } from "../lib/ids.js";
import { formatAmount, MAX_AMOUNT, parseAmount } from "../lib/money.js";

/**
 * The command line of `npm run merchant -- …`, read into what to ask the merchant API
 * (docs/commands.md, docs/merchant-api.md). Anything it does not understand is a UsageError (exit code 2):
 * an unknown command or option, an option the command does not take, a malformed
 * value. Nothing here talks to the network.
 */

export class UsageError extends Error {
  override name = "UsageError";
}

export type Command =
  | { name: "orders list"; query: Record<string, string> }
  | { name: "orders show"; orderId: string; refresh: boolean }
  | { name: "refund"; orderId: string; body: { amount?: string; reason?: string } }
  | { name: "capture"; orderId: string; body: { amount?: string; description?: string } }
  | { name: "void"; orderId: string; body: { description?: string } }
  | { name: "cards list"; customerRef: string }
  | { name: "cards charge"; cardId: string; body: { reference?: string } }
  | { name: "cards delete"; cardId: string };

export type Target = { kind: "local" } | { kind: "stack"; stack: string };

export interface Invocation {
  command: Command;
  target: Target;
  json: boolean;
  /** Only for the POST commands (refund, capture, void); undefined = a new one per run. */
  idempotencyKey: string | undefined;
}

export type Parsed = { help: true } | ({ help: false } & Invocation);

export const USAGE = `usage: npm run merchant -- COMMAND [OPTIONS]

commands:
  orders list [--status S] [--from ISO] [--to ISO] [--reference R] [--limit N] [--cursor C]
  orders show ID [--refresh]
  refund ID [--amount 5.00] [--reason TEXT]          no --amount: all that is left
  capture ID [--amount 5.00] [--description TEXT]    no --amount: all that was authorized
  void ID [--description TEXT]
  cards list CUSTOMER                                a customer's saved cards
  cards charge CARD [--reference R]                  charge a subscription card (the first amount again)
  cards delete CARD                                  delete a saved card, at the bank and here

options:
  --local                  the local stack of npm start (http://127.0.0.1:$PORT, PORT default 3000)
  --stack NAME             the deployed stack (default BogPayments), signed with your AWS credentials
  --json                   print the API's JSON instead of a table
  --idempotency-key UUID   for refund, capture, void, cards charge: reuse a key to retry safely (default: a new one)
  --help                   this text

exit codes: 0 done, 1 the API refused (4xx), 2 bad usage, 3 the service or network failed`;

/** The options that take a value, and the flags; each may be given once. */
const VALUE_OPTIONS = [
  "status",
  "from",
  "to",
  "reference",
  "limit",
  "cursor",
  "amount",
  "reason",
  "description",
  "stack",
  "idempotency-key",
] as const;
const FLAGS = ["local", "json", "refresh", "help"] as const;
type OptionName = (typeof VALUE_OPTIONS)[number] | (typeof FLAGS)[number];

/** Which options each command takes, beyond the global ones. */
const COMMAND_OPTIONS: Record<Command["name"], readonly OptionName[]> = {
  "orders list": ["status", "from", "to", "reference", "limit", "cursor"],
  "orders show": ["refresh"],
  refund: ["amount", "reason", "idempotency-key"],
  capture: ["amount", "description", "idempotency-key"],
  void: ["description", "idempotency-key"],
  "cards list": [],
  "cards charge": ["reference", "idempotency-key"],
  "cards delete": [],
};
const GLOBAL_OPTIONS: readonly OptionName[] = ["local", "stack", "json", "help"];

const ORDER_STATUSES: readonly string[] = ["pending", ...BANK_STATUSES];
const MAX_LIMIT = 100;
const MAX_REFERENCE = 64;
/** CloudFormation's rule for a stack name. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
/** A date, or a date and time with a zone: "2026-11-26", "2026-11-26T20:00:00Z", "…+04:00". */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/i;

function isOption(name: string): name is OptionName {
  return (VALUE_OPTIONS as readonly string[]).includes(name) || isFlag(name);
}
function isFlag(name: string): name is (typeof FLAGS)[number] {
  return (FLAGS as readonly string[]).includes(name);
}

/** Splits the arguments into positionals and options (`--name value`, `--name=value`). */
function tokenize(args: readonly string[]) {
  const positionals: string[] = [];
  const options = new Map<OptionName, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-h") {
      options.set("help", "");
      continue;
    }
    if (!arg.startsWith("--")) {
      if (arg.startsWith("-") && arg.length > 1) throw new UsageError(`unknown option: ${arg}`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!isOption(name)) throw new UsageError(`unknown option: --${name}`);
    if (options.has(name)) throw new UsageError(`--${name} is given more than once`);
    if (isFlag(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      options.set(name, "");
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
    options.set(name, value);
  }
  return { positionals, options };
}

function commandName(positionals: string[]): { name: Command["name"]; rest: string[] } {
  const [first, second, ...others] = positionals;
  if (first === undefined) throw new UsageError("no command given");
  if (first === "orders") {
    if (second === "list") return { name: "orders list", rest: others };
    if (second === "show") return { name: "orders show", rest: others };
    throw new UsageError(
      second === undefined
        ? "orders needs list or show"
        : `unknown command: orders ${second} (orders list, orders show)`,
    );
  }
  if (first === "cards") {
    if (second === "list" || second === "charge" || second === "delete")
      return { name: `cards ${second}`, rest: others };
    throw new UsageError(
      second === undefined
        ? "cards needs list, charge or delete"
        : `unknown command: cards ${second} (cards list, cards charge, cards delete)`,
    );
  }
  if (first === "refund" || first === "capture" || first === "void")
    return { name: first, rest: positionals.slice(1) };
  throw new UsageError(`unknown command: ${first}`);
}

function orderIdFrom(name: string, rest: string[]): string {
  const [id, extra] = rest;
  if (id === undefined) throw new UsageError(`${name} needs an order id`);
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  // An order id is our UUID; anything else cannot name an order (and never reaches a URL).
  if (!isUuid(id)) throw new UsageError(`not an order id (a UUID): ${id}`);
  return id.toLowerCase();
}

function cardIdFrom(name: string, rest: string[]): string {
  const [id, extra] = rest;
  if (id === undefined) throw new UsageError(`${name} needs a card id`);
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  // A card id is the UUID of the order that saved it.
  if (!isUuid(id)) throw new UsageError(`not a card id (a UUID): ${id}`);
  return id.toLowerCase();
}

function customerFrom(rest: string[]): string {
  const [customer, extra] = rest;
  if (customer === undefined) throw new UsageError("cards list needs a customer (customerRef)");
  if (extra !== undefined) throw new UsageError(`unexpected argument: ${extra}`);
  if (customer.length > MAX_CUSTOMER_REF || customer.includes("/"))
    throw new UsageError(`a customerRef is 1 to ${MAX_CUSTOMER_REF} characters, without /`);
  return customer;
}

/** "5", "5.5", "5.00" → "5.00"; more than two decimals, a sign, a comma or zero is refused. */
function amountOption(text: string): string {
  const minor = parseAmount(text);
  if (minor === undefined || minor === 0 || minor > MAX_AMOUNT)
    throw new UsageError(
      `--amount must be a positive amount with at most two decimals, like 5.00 (got "${text}")`,
    );
  return formatAmount(minor);
}

/** An ISO 8601 date or time, normalized to UTC ("2026-11-26T16:00:00Z"). */
function timeOption(name: string, text: string): string {
  const ms = ISO_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `--${name} must be an ISO 8601 date or time with a zone, like 2026-11-26 or 2026-11-26T20:00:00Z (got "${text}")`,
    );
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function listQuery(options: Map<OptionName, string>): Record<string, string> {
  const query: Record<string, string> = {};
  const status = options.get("status");
  if (status !== undefined) {
    if (!ORDER_STATUSES.includes(status))
      throw new UsageError(
        `--status must be one of ${ORDER_STATUSES.join(", ")} (got "${status}")`,
      );
    query.status = status;
  }
  const from = options.get("from");
  const to = options.get("to");
  if (from !== undefined) query.from = timeOption("from", from);
  if (to !== undefined) query.to = timeOption("to", to);
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to))
    throw new UsageError("--from is after --to");
  const reference = options.get("reference");
  if (reference !== undefined) {
    if (reference.length > MAX_REFERENCE)
      throw new UsageError(`--reference is at most ${MAX_REFERENCE} characters`);
    query.reference = reference;
  }
  const limit = options.get("limit");
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT)
      throw new UsageError(
        `--limit must be a whole number from 1 to ${MAX_LIMIT} (got "${limit}")`,
      );
    query.limit = String(Number(limit));
  }
  const cursor = options.get("cursor");
  if (cursor !== undefined) query.cursor = cursor;
  return query;
}

function buildCommand(
  name: Command["name"],
  rest: string[],
  options: Map<OptionName, string>,
): Command {
  const amount = options.has("amount") ? amountOption(options.get("amount") as string) : undefined;
  const reason = options.get("reason");
  const description = options.get("description");
  switch (name) {
    case "orders list":
      if (rest[0] !== undefined) throw new UsageError(`unexpected argument: ${rest[0]}`);
      return { name, query: listQuery(options) };
    case "orders show":
      return { name, orderId: orderIdFrom(name, rest), refresh: options.has("refresh") };
    case "refund":
      return { name, orderId: orderIdFrom(name, rest), body: { amount, reason } };
    case "capture":
      return { name, orderId: orderIdFrom(name, rest), body: { amount, description } };
    case "void":
      return { name, orderId: orderIdFrom(name, rest), body: { description } };
    case "cards list":
      return { name, customerRef: customerFrom(rest) };
    case "cards charge": {
      const reference = options.get("reference");
      if (reference !== undefined && reference.length > MAX_REFERENCE)
        throw new UsageError(`--reference is at most ${MAX_REFERENCE} characters`);
      return { name, cardId: cardIdFrom(name, rest), body: { reference } };
    }
    case "cards delete":
      return { name, cardId: cardIdFrom(name, rest) };
  }
}

/** Reads `process.argv.slice(2)`; throws UsageError for anything it cannot run. */
export function parseArgs(args: readonly string[]): Parsed {
  const { positionals, options } = tokenize(args);
  if (options.has("help")) return { help: true };
  const { name, rest } = commandName(positionals);
  for (const option of options.keys()) {
    if (!GLOBAL_OPTIONS.includes(option) && !COMMAND_OPTIONS[name].includes(option))
      throw new UsageError(`${name} does not take --${option}`);
  }
  const command = buildCommand(name, rest, options);

  const stack = options.get("stack");
  if (options.has("local") && stack !== undefined)
    throw new UsageError("--local and --stack exclude each other");
  if (stack !== undefined && !STACK_NAME.test(stack))
    throw new UsageError(`not a CloudFormation stack name: ${stack}`);
  const target: Target = options.has("local")
    ? { kind: "local" }
    : { kind: "stack", stack: stack ?? "BogPayments" };

  const idempotencyKey = options.get("idempotency-key");
  if (idempotencyKey !== undefined && !isUuidV4(idempotencyKey))
    throw new UsageError(`--idempotency-key must be a UUID v4 (got "${idempotencyKey}")`);

  return { help: false, command, target, json: options.has("json"), idempotencyKey };
}

/** `PORT` as `npm start` reads it (default 3000); the CLI needs a real port, not 0. */
export function localPort(env: NodeJS.ProcessEnv): number {
  const raw = env.PORT;
  if (raw === undefined || raw === "") return 3000;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65_535)
    throw new UsageError(`PORT must be a port number (1-65535), got "${raw}"`);
  return value;
}
