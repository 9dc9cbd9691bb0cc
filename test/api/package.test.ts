import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PINNED, root } from "./public-api.js";

// The built package as a user meets it: compiled with the build's tsconfig into a scratch package
// (package.json, bin/, dist/), installed as node_modules/rlev of a scratch app, imported by subpath.

const run = promisify(execFile);
const pinned = JSON.parse(await readFile(PINNED, "utf8")) as Record<string, string[]>;
let dir: string;
let app: string;
let pkg: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "rlev-package-"));
  pkg = join(dir, "rlev");
  app = join(dir, "app");
  await run(
    join(root, "node_modules/.bin/tsc"),
    ["-p", "tsconfig.build.json", "--outDir", join(pkg, "dist")],
    {
      cwd: root,
    },
  );
  await cp(join(root, "package.json"), join(pkg, "package.json"));
  await cp(join(root, "bin"), join(pkg, "bin"), { recursive: true });
  // The package's own dependencies, as npm would install them beside it.
  await symlink(join(root, "node_modules"), join(pkg, "node_modules"), "dir");
  await mkdir(join(app, "node_modules"), { recursive: true });
  await symlink(pkg, join(app, "node_modules/rlev"), "dir");
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "app", type: "module", private: true }));
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the built package", () => {
  it("imports by every subpath at run time, each with exactly its pinned names", async () => {
    const script = `const entries = ${JSON.stringify(Object.keys(pinned))};
const out = {};
for (const e of entries) out[e] = Object.keys(await import(e)).sort();
console.log(JSON.stringify(out));`;
    await writeFile(join(app, "check.mjs"), script);
    const { stdout } = await run(process.execPath, ["check.mjs"], { cwd: app });
    const got = JSON.parse(stdout) as Record<string, string[]>;
    for (const [entry, names] of Object.entries(pinned))
      expect(got[entry], entry).toEqual(names.filter((n) => !n.startsWith("type ")).sort());
  });

  it("computes through its subpaths as a user would", async () => {
    await writeFile(
      join(app, "use.mjs"),
      `import { rlevScale } from "rlev/rewards";
import { rlooAdvantages } from "rlev/rl";
import { verifyAnswer } from "rlev/verify";
import { ConfigSchema } from "rlev/config";
const v = verifyAnswer({ reference: "\\\\frac{1}{2}", response: "The answer is \\\\boxed{0.5}." });
const cfg = ConfigSchema.parse({});
console.log(JSON.stringify({ correct: v.correct, scale: rlevScale(0.2, 1), estimator: cfg.rl.estimator, rloo: typeof rlooAdvantages }));`,
    );
    const { stdout } = await run(process.execPath, ["use.mjs"], { cwd: app });
    const out = JSON.parse(stdout);
    expect(out.correct).toBe(true);
    expect(out.scale).toBeCloseTo(1.2, 12);
    expect(typeof out.estimator).toBe("string");
    expect(out.rloo).toBe("function");
  });

  it("refuses deep imports of internals", async () => {
    const attempt = run(
      process.execPath,
      ["--input-type=module", "-e", 'await import("rlev/dist/train/lock.js")'],
      {
        cwd: app,
      },
    );
    await expect(attempt).rejects.toMatchObject({
      stderr: expect.stringContaining("ERR_PACKAGE_PATH_NOT_EXPORTED"),
    });
  });

  it("type-checks a user's TypeScript against the subpaths' .d.ts, and rejects an internal name", async () => {
    await writeFile(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          strict: true,
          noEmit: true,
          types: ["node"],
          typeRoots: [join(root, "node_modules/@types")],
          // @jax-js/jax's own declarations need newer lib types (Float16Array, WebGPU) than Node 20's.
          skipLibCheck: true,
        },
        files: ["user.ts"],
      }),
    );
    await writeFile(
      join(app, "user.ts"),
      `import type { RlConfig } from "rlev/config";
import type { Item } from "rlev/data";
import { rlevScale } from "rlev/rewards";
import { rlooAdvantages } from "rlev/rl";
import { type Verdict, verifyAnswer } from "rlev/verify";
import { hAcc } from "rlev/metrics";
import { renderReport } from "rlev/report";
import { startRewardServer } from "rlev/serve";
import { EmbeddedPolicy } from "rlev/model";
import { runEval } from "rlev/eval";
import { weakValue } from "rlev/values";
import { exportVerl } from "rlev/export";
import { runRl } from "rlev";
const v: Verdict = verifyAnswer({ reference: "1", response: "1" });
const scale: number = rlevScale(0.5, 1);
const estimator: RlConfig["estimator"] = "rloo";
export const used = [v, scale, estimator, rlooAdvantages, hAcc, renderReport, startRewardServer, EmbeddedPolicy, runEval, weakValue, exportVerl, runRl];
export type Used = Item;
`,
    );
    const tsc = join(root, "node_modules/.bin/tsc");
    // tsc prints its errors on stdout: show them when the check fails.
    await run(tsc, ["-p", "tsconfig.json"], { cwd: app }).catch((err: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${err.stdout}`);
    });
    await writeFile(
      join(app, "user.ts"),
      `import { acquireRunLock } from "rlev";\nexport const x = acquireRunLock;\n`,
    );
    await expect(run(tsc, ["-p", "tsconfig.json"], { cwd: app })).rejects.toMatchObject({
      stdout: expect.stringContaining("has no exported member 'acquireRunLock'"),
    });
  });

  it("runs the CLI from its bin", async () => {
    const { stdout } = await run(process.execPath, [join(pkg, "bin/rlev.js"), "--help"], { cwd: app });
    expect(stdout).toContain("Usage: rlev");
  });
});
