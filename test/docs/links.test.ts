import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

/**
 * Every relative link of the repository's Markdown (README.md, docs/, the sandbox's
 * README, …) reaches a file that exists, and every `#anchor` a heading of that file, as
 * a Git host renders it. Links to the web are not followed (no network here).
 */

const markdownFiles = execFileSync(
  "git",
  ["ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
  {
    cwd: REPO_ROOT,
    encoding: "utf8",
  },
)
  .split("\n")
  .filter((file) => file !== "" && existsSync(join(REPO_ROOT, file)));

/** The lines outside fenced code blocks, with inline code removed. */
function prose(text: string): string[] {
  let fenced = false;
  return text.split("\n").flatMap((line) => {
    if (line.trimStart().startsWith("```")) {
      fenced = !fenced;
      return [];
    }
    return fenced ? [] : [line.replace(/`[^`]*`/g, "")];
  });
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  return heading
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trimStart().startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const slug = slugOf(heading[1] as string);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function brokenLinks(file: string): string[] {
  const path = join(REPO_ROOT, file);
  const broken: string[] = [];
  for (const line of prose(readFileSync(path, "utf8"))) {
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^(https?:|mailto:)/.test(target)) continue;
      const [where = "", anchor] = target.split("#");
      const to = where === "" ? path : resolve(dirname(path), decodeURI(where));
      if (!existsSync(to)) {
        broken.push(`${target} (no ${relative(REPO_ROOT, to)})`);
        continue;
      }
      if (anchor && to.endsWith(".md") && !anchorsOf(to).has(anchor))
        broken.push(`${target} (no heading #${anchor} in ${relative(REPO_ROOT, to)})`);
    }
  }
  return broken;
}

describe("the documentation's links", () => {
  it("finds the Markdown files (README.md and docs/)", () => {
    expect(markdownFiles).toContain("README.md");
    expect(markdownFiles).toContain("docs/deploy.md");
  });

  it.each(markdownFiles)("%s: every relative link and anchor resolves", (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it("anchors are made as a Git host makes them", () => {
    expect(slugOf("Merchant API (`/merchant/…`, server to server)")).toBe(
      "merchant-api-merchant-server-to-server",
    );
    expect(slugOf("Events & webhooks: 2 kinds")).toBe("events--webhooks-2-kinds");
  });

  it("the README is a front door: 250 lines at most", () => {
    expect(
      readFileSync(join(REPO_ROOT, "README.md"), "utf8").split("\n").length,
    ).toBeLessThanOrEqual(251);
  });
});
