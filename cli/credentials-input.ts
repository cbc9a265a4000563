import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import type { BankCredentials } from "../lib/bog/credentials.js";

/**
 * The bank's client id and secret, read from the terminal without echo (or, when
 * stdin is not a terminal, as two lines from it), never from the command line.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const PRINTABLE = /^[^\s\u0000-\u001f\u007f]+$/;

export function validateCredentials(clientId: string, clientSecret: string): BankCredentials {
  const check = (name: string, value: string) => {
    if (value.length === 0) throw new Error(`the ${name} is empty`);
    if (value.length > 256) throw new Error(`the ${name} is longer than 256 characters`);
    if (!PRINTABLE.test(value))
      throw new Error(`the ${name} contains spaces or control characters`);
  };
  check("client id", clientId);
  check("client secret", clientSecret);
  return { clientId, clientSecret };
}

/** What goes into the secret: the JSON the functions read. */
export function secretValue(credentials: BankCredentials): string {
  return JSON.stringify({ clientId: credentials.clientId, clientSecret: credentials.clientSecret });
}

export async function readCredentials(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  output: NodeJS.WritableStream,
) {
  let muted = false;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: input.isTTY === true });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string): Promise<string> => {
    output.write(prompt);
    muted = true;
    const next = await lines.next();
    muted = false;
    if (input.isTTY) output.write("\n");
    if (next.done) throw new Error("no input");
    return String(next.value).trim();
  };
  try {
    const clientId = await ask("Bank of Georgia client id: ");
    const clientSecret = await ask("Bank of Georgia client secret: ");
    return validateCredentials(clientId, clientSecret);
  } finally {
    rl.close();
  }
}
