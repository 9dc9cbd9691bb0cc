import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

// `npm run deps` checks src/ against .dependency-cruiser.cjs; these tests check the rule set itself.

const root = resolve(import.meta.dirname, "../..");
const configPath = join(root, ".dependency-cruiser.cjs");
const config = createRequire(import.meta.url)(configPath) as {
  forbidden: Array<{ name: string; to: { pathNot?: string } }>;
};
/** The layers, lowest first, as the rule that refuses unknown folders lists them. */
const layers = (() => {
  const rule = config.forbidden.find((r) => r.name === "no-unknown-folder");
  const m = /^\^src\/\(([^)]*)\)\/$/.exec(rule?.to.pathNot ?? "");
  return m ? m[1].split("|") : [];
})();

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Runs the project's rules over a small source tree; resolves to the exit code and the report. */
async function cruise(files: Record<string, string>): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), "rlev-layers-"));
  dirs.push(dir);
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext" } }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const bin = join(root, "node_modules/.bin/depcruise");
  try {
    const { stdout } = await promisify(execFile)(bin, ["src", "--config", configPath], { cwd: dir });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe("layer rules", () => {
  it("place every folder of src/", () => {
    const folders = readdirSync(join(root, "src"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(layers.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !layers.includes(f))).toEqual([]);
    expect(layers.filter((l) => !folders.includes(l))).toEqual([]);
  });

  it("keep the documented order: data below verify below rl below model below train; cli on top", () => {
    const at = (l: string) => layers.indexOf(l);
    for (const [low, high] of [
      ["util", "data"],
      ["data", "values"],
      ["values", "verify"],
      ["verify", "rewards"],
      ["rewards", "rl"],
      ["rl", "model"],
      ["model", "train"],
      ["client", "eval"],
      ["report", "eval"],
      ["train", "experiment"],
    ])
      expect(at(low), `${low} below ${high}`).toBeLessThan(at(high));
    expect(layers.at(-1)).toBe("cli");
  });

  it("allow a downward import", async () => {
    const r = await cruise({
      "src/verify/a.ts": 'import { b } from "../data/b.js";\nexport const a = b;\n',
      "src/data/b.ts": "export const b = 1;\n",
    });
    expect(r.out).toContain("no dependency violations");
    expect(r.code).toBe(0);
  });

  it("refuse an upward import, type-only included", async () => {
    const r = await cruise({
      "src/verify/a.ts": 'import type { B } from "../client/b.js";\nexport type A = B;\n',
      "src/client/b.ts": "export type B = number;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("no-upward-from-verify: src/verify/a.ts → src/client/b.ts");
  });

  it("refuse a cycle inside a folder and a folder not placed", async () => {
    const r = await cruise({
      "src/data/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
      "src/data/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
      "src/cli/c.ts": 'import { d } from "../newfolder/d.js";\nexport const c = d;\n',
      "src/newfolder/d.ts": "export const d = 1;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("no-circular");
    expect(r.out).toContain("no-unknown-folder: src/cli/c.ts → src/newfolder/d.ts");
  });
});
