import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";

// A user's clone has only this repository: every link in the docs and every docs/… citation in
// src/ must resolve inside it (the file exists; an #anchor is a heading of that file).

/** GitHub's heading anchor: lower case, punctuation dropped (letters of any script kept), spaces → "-". */
export function slug(heading: string): string {
  return heading
    .replace(/`/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Markdown text outside fenced code blocks, line by line (fence lines blanked, line numbers kept). */
function proseLines(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split("\n").map((line) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (fence === null) fence = m[1][0];
      else if (m[1][0] === fence) fence = null;
      return "";
    }
    return fence === null ? line : "";
  });
}

/** The anchors a Markdown file defines: heading slugs (duplicates numbered as GitHub does) and <a id|name>. */
export function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const base = slug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const a of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(a[1]);
  }
  return out;
}

/** Relative link targets of a Markdown file (code spans and fences skipped), with their line numbers. */
export function linksOf(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  proseLines(markdown).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, "");
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      out.push({ target, line: i + 1 });
    }
  });
  return out;
}

/**
 * Checks one link `target` written in `fromFile` (absolute path) against the files under `root`.
 * Returns why it does not resolve, or null when it does.
 */
export function brokenReason(root: string, fromFile: string, target: string): string | null {
  const hash = target.indexOf("#");
  const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
  const file = pathPart === "" ? fromFile : resolve(dirname(fromFile), pathPart);
  const rel = relative(root, file);
  if (rel.startsWith("..")) return `points outside the repository (${rel})`;
  if (!existsSync(file)) return `no such file: ${rel}`;
  if (anchor !== null && anchor !== "") {
    if (statSync(file).isDirectory() || !file.endsWith(".md"))
      return `#${anchor} on a file that is not Markdown`;
    if (!anchorsOf(readFileSync(file, "utf8")).has(anchor)) return `no heading #${anchor} in ${rel}`;
  }
  return null;
}

/** Every docs/….md[#anchor] citation in a source text, with its line number. */
export function docCitationsOf(source: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  source.split("\n").forEach((line, i) => {
    for (const m of line.matchAll(/\bdocs\/[\w./-]*?\.md(?:#[\p{L}\p{N}_-]+)?/gu))
      out.push({ target: m[0], line: i + 1 });
  });
  return out;
}

/** Broken links of the given Markdown files and docs/ citations of the given source files, one line each. */
export function brokenLinks(root: string, markdownFiles: string[], sourceFiles: string[]): string[] {
  const problems: string[] = [];
  for (const f of markdownFiles) {
    const abs = join(root, f);
    for (const { target, line } of linksOf(readFileSync(abs, "utf8"))) {
      const why = brokenReason(root, abs, target);
      if (why) problems.push(`${f}:${line} (${target}): ${why}`);
    }
  }
  for (const f of sourceFiles) {
    for (const { target, line } of docCitationsOf(readFileSync(join(root, f), "utf8"))) {
      // A citation is written from the repository root, whatever folder the source file is in.
      const why = brokenReason(root, join(root, "index.md"), target);
      if (why) problems.push(`${f}:${line} (${target}): ${why}`);
    }
  }
  return problems;
}

function filesUnder(root: string, dir: string, ext: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(root, rel, ext));
    else if (entry.name.endsWith(ext)) out.push(rel);
  }
  return out.sort();
}

const topLevel = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md"].filter((f) =>
  existsSync(join(repoRoot, f)),
);
const markdownFiles = [...topLevel, ...filesUnder(repoRoot, "docs", ".md")];
const sourceFiles = filesUnder(repoRoot, "src", ".ts");

describe("links in the documentation and citations in src/", () => {
  it("finds the documents it checks", () => {
    expect(markdownFiles).toContain("README.md");
    expect(markdownFiles).toContain("docs/method.md");
    expect(sourceFiles.length).toBeGreaterThan(50);
  });

  it("every relative link and #anchor in README, CONTRIBUTING, CHANGELOG and docs/*.md resolves", () => {
    expect(brokenLinks(repoRoot, markdownFiles, [])).toEqual([]);
  });

  it("every docs/… citation in src/ resolves", () => {
    const cited = sourceFiles.flatMap((f) => docCitationsOf(readFileSync(join(repoRoot, f), "utf8")));
    expect(cited.length).toBeGreaterThan(50);
    expect(brokenLinks(repoRoot, [], sourceFiles)).toEqual([]);
  });

  it("no comment in src/ cites the old spec by section, and no document sends readers outside the repository", () => {
    const stale: string[] = [];
    for (const f of sourceFiles) {
      readFileSync(join(repoRoot, f), "utf8")
        .split("\n")
        .forEach((line, i) => {
          const comment = /^\s*(\/\/|\/\*|\*)/.test(line) ? line : (/\/\/(.*)$/.exec(line)?.[1] ?? "");
          if (/spec(?:'s)? §|rlev-spec\.md|shared\/docs/.test(comment)) stale.push(`${f}:${i + 1}`);
        });
    }
    for (const f of markdownFiles)
      if (readFileSync(join(repoRoot, f), "utf8").includes("shared/docs")) stale.push(`${f}: ../shared/docs`);
    expect(stale).toEqual([]);
  });
});

describe("the link checker itself", () => {
  const root = mkdtempSync(join(tmpdir(), "rlev-links-"));
  mkdirSync(join(root, "docs"));
  writeFileSync(
    join(root, "docs/a.md"),
    "# Title\n\n## RLEV reward: s(x) = 1 + min(α·v, 1)\n\n## Dr. GRPO\n\n## Dr. GRPO\n\n```\n## not a heading\n```\n",
  );
  mkdirSync(join(root, "src"));

  it("computes GitHub's heading anchors", () => {
    expect(slug("RLEV reward: s(x) = 1 + min(α·v, 1)")).toBe("rlev-reward-sx--1--minαv-1");
    expect(slug("`rlev serve reward` (OpenRLHF)")).toBe("rlev-serve-reward-openrlhf");
    expect([...anchorsOf(readFileSync(join(root, "docs/a.md"), "utf8"))]).toEqual([
      "title",
      "rlev-reward-sx--1--minαv-1",
      "dr-grpo",
      "dr-grpo-1",
    ]);
  });

  it("reports a missing file, a missing anchor and a link out of the repository, and accepts good links", () => {
    writeFileSync(
      join(root, "README.md"),
      [
        '[ok](docs/a.md#dr-grpo) [ok](docs/a.md#dr-grpo-1) [ok](#top) <a id="top"></a>',
        "[gone](docs/missing.md) [bad anchor](docs/a.md#not-a-heading) [out](../elsewhere.md)",
        "`[in code](docs/nothing.md)` [web](https://example.org/x.md)",
      ].join("\n"),
    );
    expect(brokenLinks(root, ["README.md"], [])).toEqual([
      "README.md:2 (docs/missing.md): no such file: docs/missing.md",
      "README.md:2 (docs/a.md#not-a-heading): no heading #not-a-heading in docs/a.md",
      "README.md:2 (../elsewhere.md): points outside the repository (../elsewhere.md)",
    ]);
  });

  it("reports a src/ citation whose anchor or file is gone", () => {
    writeFileSync(
      join(root, "src/x.ts"),
      "/** GRPO (docs/a.md#dr-grpo). */\n// Old (docs/a.md#grpo), gone (docs/b.md).\n",
    );
    expect(brokenLinks(root, [], ["src/x.ts"])).toEqual([
      "src/x.ts:2 (docs/a.md#grpo): no heading #grpo in docs/a.md",
      "src/x.ts:2 (docs/b.md): no such file: docs/b.md",
    ]);
  });
});
