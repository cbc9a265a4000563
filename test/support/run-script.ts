import { spawn } from "node:child_process";
import { REPO_ROOT } from "./paths.js";

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A repository script (an operator's command) run as `npm run` runs it: tsx, from the root. */
export function runScript(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin = "",
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
