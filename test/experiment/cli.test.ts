import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../train/tiny.js";

let dir: string;
const grid = {
  seeds: [1, 2],
  sizes: { base: { warmup: { checkpoint: "nowhere/base" } } },
  grids: [{ name: "main", size: ["base"], estimator: ["rloo"], reward: ["correctness", "rlev"] }],
};

async function write(name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

/** One line on stderr, exit code 2, nothing on stdout. */
function expectUsageError(r: { code: number; stdout: string; stderr: string }, text: string) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(text);
}

beforeAll(async () => {
  dir = await tempDir("rlev-exp-cli-");
});

describe("rlev experiment / rlev demo argument errors", () => {
  it("rejects a bad --jobs or --seeds with one line and exit code 2", async () => {
    const file = await write("grid.json", grid);
    expectUsageError(
      await runCli(["experiment", "--config", file, "--jobs", "0"]),
      '--jobs must be a positive integer, got "0"',
    );
    expectUsageError(
      await runCli(["experiment", "--config", file, "--seeds", "1,x"]),
      "--seeds must look like 1,2,3 or 1-5",
    );
    expectUsageError(await runCli(["demo", "--jobs", "two"]), '--jobs must be a positive integer, got "two"');
    expectUsageError(await runCli(["demo", "--seeds", "5-3"]), "the range is empty");
  });

  it("names the file and field of a bad configuration", async () => {
    expectUsageError(
      await runCli(["experiment", "--config", join(dir, "missing.json"), "--list"]),
      "missing.json: no such file",
    );
    const badJson = await write("bad.json", '{\n  "seeds": [1,\n}');
    expectUsageError(await runCli(["experiment", "--config", badJson, "--list"]), "bad.json:3: invalid JSON");
    const badEstimator = await write("est.json", {
      ...grid,
      grids: [{ ...grid.grids[0], estimator: ["ppo"] }],
    });
    expectUsageError(
      await runCli(["experiment", "--config", badEstimator, "--list"]),
      'est.json field "grids.0.estimator.0"',
    );
    const badSteps = await write("steps.json", { ...grid, config: { train: { steps: 0 } } });
    expectUsageError(
      await runCli(["experiment", "--config", badSteps, "--list"]),
      'steps.json field "config.train.steps"',
    );
    const badSet = await write("ok.json", grid);
    expectUsageError(
      await runCli(["experiment", "--config", badSet, "--set", "train.stepz=3", "--list"]),
      'field "config.train"',
    );
    const noArms = await write("demo.json", { warmup: { checkpoint: "x" }, arms: [] });
    expectUsageError(await runCli(["demo", "--config", noArms]), 'demo.json field "arms"');
  });

  it("refuses --only patterns that match no cell", async () => {
    const file = await write("grid2.json", grid);
    expectUsageError(
      await runCli(["experiment", "--config", file, "--only", "large/*", "--list"]),
      "matches no cell",
    );
  });

  it("--list shows every cell, its blocks and finished seeds without running anything", async () => {
    const file = await write("grid3.json", {
      ...grid,
      results: join(dir, "none.jsonl"),
      out: join(dir, "runs"),
    });
    const r = await runCli(["experiment", "--config", file, "--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("base/rloo/correctness");
    expect(r.stdout).toMatch(/base\/rloo\/rlev\s+0\/2 seeds\s+\[main\]\s+\(no matching warm-up yet\)/);
    expect(r.stdout).toContain("0 of 4 runs finished");
  });
});
