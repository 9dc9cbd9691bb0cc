import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// One idea per module: a source file over MAX_LINES lines says why on its first line.
const MAX_LINES = 500;
const REASON = /^\/\/ Over 500 lines: \S/;

const src = resolve(import.meta.dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sourceFiles(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );
}

describe("module size", () => {
  it(`keeps every file of src/ within ${MAX_LINES} lines, or gives the reason on its first line`, () => {
    const files = sourceFiles(src);
    expect(files.length).toBeGreaterThan(100);
    const unexplained = files
      .map((f) => ({ f: relative(src, f), text: readFileSync(f, "utf8") }))
      .filter(({ text }) => text.split("\n").length - 1 > MAX_LINES && !REASON.test(text))
      .map(({ f, text }) => `${f}: ${text.split("\n").length - 1} lines`);
    expect(unexplained).toEqual([]);
  });
});
