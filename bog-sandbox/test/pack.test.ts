import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { verify } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallbackReceiver, startCallbackReceiver } from "./support/callback-receiver.js";
import { PACKAGE_ROOT } from "./support/paths.js";

/**
 * The package as an integrator gets it: `npm pack`, the tarball installed in an empty
 * folder with no network, `npx bog-sandbox` run by the machine's own Node, driven over
 * HTTP like the bank: token, order, payment details, pay, a signed callback.
 */

const work = mkdtempSync(join(tmpdir(), "bog-sandbox-pack-"));
/** PATH without any node_modules/.bin: `node` is the machine's, not the project's. */
const PATH = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((dir) => !dir.includes("node_modules"))
  .join(delimiter);
const env = { ...process.env, PATH, npm_config_update_notifier: "false" };

let tarball = "";
let child: ChildProcess | undefined;
let receiver: CallbackReceiver;

beforeAll(async () => {
  execFileSync("npm", ["pack", "--pack-destination", work, "--silent"], {
    cwd: PACKAGE_ROOT,
    stdio: "pipe",
  });
  tarball = readdirSync(work).find((f) => f.endsWith(".tgz")) ?? "";
  receiver = await startCallbackReceiver();
}, 120_000);

afterAll(async () => {
  child?.kill("SIGTERM");
  await receiver?.close();
  rmSync(work, { recursive: true, force: true });
});

function startInstalled(app: string): Promise<{ url: string; output: () => string }> {
  child = spawn("npx", ["--no-install", "bog-sandbox", "--port", "0"], {
    cwd: app,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url && output.includes("Press Ctrl-C to stop.")) {
        clearTimeout(timer);
        resolve({ url, output: () => output });
      }
    };
    child?.stdout?.on("data", read);
    child?.stderr?.on("data", read);
    child?.once("exit", (code) => reject(new Error(`exited ${code}:\n${output}`)));
  });
}

describe("the packed package", () => {
  it("holds plain JavaScript, its README and package.json, and no runtime dependency", () => {
    const listing = execFileSync("tar", ["-tzf", join(work, tarball)], { encoding: "utf8" })
      .trim()
      .split("\n")
      .sort();
    expect(listing).toEqual([
      "package/README.md",
      "package/dist/cli.js",
      "package/dist/index.js",
      "package/package.json",
    ]);
    const manifest = JSON.parse(
      execFileSync("tar", ["-xzOf", join(work, tarball), "package/package.json"], {
        encoding: "utf8",
      }),
    );
    expect(manifest.name).toBe("bog-sandbox");
    expect(manifest.bin).toEqual({ "bog-sandbox": "dist/cli.js" });
    expect(manifest.dependencies).toBeUndefined();
  });

  it("installs offline into an empty folder and serves the bank's flow on the machine's Node", async () => {
    const nodeVersion = execFileSync("node", ["--version"], { env, encoding: "utf8" }).trim();
    expect(Number(/^v(\d+)/.exec(nodeVersion)?.[1])).toBeGreaterThanOrEqual(20);
    const app = join(work, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), '{ "name": "a-shop", "private": true }\n');
    execFileSync(
      "npm",
      ["install", "--offline", "--no-audit", "--no-fund", "--silent", join(work, tarball)],
      { cwd: app, env, stdio: "pipe" },
    );
    const { url } = await startInstalled(app);

    const tokenAnswer = await fetch(`${url}/auth/realms/bog/protocol/openid-connect/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("sandbox-client:sandbox-secret").toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(tokenAnswer.status).toBe(200);
    const { access_token: accessToken } = (await tokenAnswer.json()) as { access_token: string };
    const bearer = { authorization: `Bearer ${accessToken}` };

    const created = await fetch(`${url}/payments/v1/ecommerce/orders`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({
        callback_url: receiver.url,
        purchase_units: {
          currency: "GEL",
          total_amount: 12.5,
          basket: [{ product_id: "cup", quantity: 1, unit_price: 12.5 }],
        },
      }),
    });
    expect(created.status).toBe(200);
    const order = (await created.json()) as { id: string; _links: { redirect: { href: string } } };
    expect(order._links.redirect.href).toBe(`${url}/?order_id=${order.id}`);

    const details = await fetch(`${url}/payments/v1/receipt/${order.id}`, { headers: bearer });
    expect(((await details.json()) as { order_status: { key: string } }).order_status.key).toBe(
      "created",
    );

    const paid = await fetch(`${url}/_sandbox/orders/${order.id}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outcome: "completed" }),
    });
    expect(paid.status).toBe(200);

    const [callback] = await receiver.waitFor(1);
    const publicKey = await (await fetch(`${url}/_sandbox/public-key`)).text();
    const signature = Buffer.from(String(callback?.headers["callback-signature"]), "base64");
    expect(verify("sha256", callback?.raw ?? Buffer.alloc(0), publicKey, signature)).toBe(true);
    const event = JSON.parse(callback?.raw.toString("utf8") ?? "{}");
    expect(event).toMatchObject({
      event: "order_payment",
      body: { order_id: order.id, order_status: { key: "completed" } },
    });
  }, 120_000);
});
