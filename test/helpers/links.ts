import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// The link checker of test/docs/links.test.ts: relative Markdown links, #anchors (GitHub's heading
// slugs) and docs/….md citations in source files, resolved inside one repository.

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

const REPO_DIRS = "src|test|bench|configs|scripts|examples|results|checkpoints";

/**
 * Repository paths named in the code spans of a Markdown file (`src/rl/kl.ts`, `results/bench/…`),
 * with their line numbers; templates and globs (`*`, `<…>`, `{…}`) are left out.
 */
export function codePathsOf(markdown: string): { path: string; line: number }[] {
  const out: { path: string; line: number }[] = [];
  markdown.split("\n").forEach((line, i) => {
    for (const span of line.matchAll(/`([^`]+)`/g))
      for (const m of span[1].matchAll(
        new RegExp(`(?:^|[\\s(])((?:${REPO_DIRS})/[\\w./@-]*)([*<{]?)`, "g"),
      )) {
        if (m[2] !== "") continue;
        out.push({ path: m[1].replace(/[.,;:]+$/, ""), line: i + 1 });
      }
  });
  return out;
}

/** Code-span paths of the given Markdown files that do not exist under `root`, one line each. */
export function missingCodePaths(root: string, markdownFiles: string[]): string[] {
  const problems: string[] = [];
  for (const f of markdownFiles)
    for (const { path, line } of codePathsOf(readFileSync(join(root, f), "utf8")))
      if (!existsSync(join(root, path))) problems.push(`${f}:${line}: \`${path}\` does not exist`);
  return problems;
}
