import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import {
  anchorsOf,
  brokenLinks,
  codePathsOf,
  docCitationsOf,
  missingCodePaths,
  slug,
} from "../helpers/links.js";

// A user's clone has only this repository: every link in the docs and every docs/… citation in
// src/ must resolve inside it (the file exists; an #anchor is a heading of that file).

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

  it("every file or folder of the repository that the docs name in code (`src/…`, `test/…`, …) exists", () => {
    expect(
      markdownFiles.flatMap((f) => codePathsOf(readFileSync(join(repoRoot, f), "utf8"))).length,
    ).toBeGreaterThan(100);
    expect(missingCodePaths(repoRoot, markdownFiles)).toEqual([]);
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

  it("reports a file named in code that does not exist, and skips templates and globs", () => {
    writeFileSync(
      join(root, "docs/paths.md"),
      "See `src/present.ts`, `src/gone.ts` and `rlev eval --config configs/none.json`; not `src/*.ts`, `results/<date>.md` or `configs/rl-{a,b}.json`.\n",
    );
    writeFileSync(join(root, "src/present.ts"), "\n");
    expect(missingCodePaths(root, ["docs/paths.md"])).toEqual([
      "docs/paths.md:1: `src/gone.ts` does not exist",
      "docs/paths.md:1: `configs/none.json` does not exist",
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
