import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { JobRecord } from "../../src/experiment/record.js";
import { readResults } from "../../src/experiment/results-file.js";
import {
  mergeShardResults,
  parseShard,
  recordDifference,
  shardResultsPath,
  shardRuns,
} from "../../src/experiment/shard.js";
import { type CliResult, runCli } from "../helpers/cli.js";
import { tempDir } from "../train/tiny.js";
import { tinyShared } from "./fixtures.js";

describe("shards of the grid: the split", () => {
  it("reads i/n, a SLURM array and a Kubernetes Indexed Job", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard("slurm", { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "4" })).toEqual({
      index: 1,
      count: 4,
    });
    // --array=1-7:2 → ids 1,3,5,7: task 5 is the third (index 2) of 4.
    const array = { SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_STEP: "2", SLURM_ARRAY_TASK_COUNT: "4" };
    expect(parseShard("slurm", { ...array, SLURM_ARRAY_TASK_ID: "5" })).toEqual({ index: 2, count: 4 });
    expect(parseShard("k8s/3", { JOB_COMPLETION_INDEX: "0" })).toEqual({ index: 0, count: 3 });
  });

  it("rejects what is not a shard, in one line naming the input", () => {
    expect(() => parseShard("3/3")).toThrow("shard 3 does not exist among 3 (0..2)");
    expect(() => parseShard("1-3")).toThrow('--shard takes i/n (0 ≤ i < n), slurm, or k8s/n, got "1-3"');
    expect(() => parseShard("slurm", {})).toThrow("SLURM_ARRAY_TASK_ID is not set");
    expect(() => parseShard("slurm", { SLURM_ARRAY_TASK_ID: "2" })).toThrow(
      "SLURM_ARRAY_TASK_COUNT must be a whole number, got nothing",
    );
    expect(() => parseShard("k8s/3", {})).toThrow("JOB_COMPLETION_INDEX is not set");
    expect(() => parseShard("k8s/3", { JOB_COMPLETION_INDEX: "3" })).toThrow("shard 3 does not exist");
  });

  it("deals every (cell, seed) to exactly one shard, round-robin in plan order", () => {
    const cells = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
    const seeds = [1, 2, 3];
    const shares = [0, 1, 2, 3].map((index) => shardRuns(cells, seeds, { index, count: 4 }));
    const all = shares.flatMap((s) => [...s]);
    expect(all).toHaveLength(15);
    expect(new Set(all).size).toBe(15);
    expect(shares.map((s) => s.size)).toEqual([4, 4, 4, 3]);
    expect([...shares[1]]).toEqual(["b\u00001", "a\u00002", "e\u00002", "d\u00003"]);
    expect(shardResultsPath("results/experiment/results.jsonl", { index: 1, count: 3 })).toBe(
      "results/experiment/results.shard-1-of-3.jsonl",
    );
  });
});

let dir: string;
let singleGrid: string;
let shardGrid: string;

function grid(name: string) {
  return {
    results: join(dir, name, "results.jsonl"),
    out: join(dir, name, "runs"),
    report: join(dir, name, "report.html"),
    png: join(dir, name, "key.png"),
    jobs: 1,
    seeds: [1, 2],
    config: tinyShared,
    // One warm-up for both: the job hashes do not depend on `out`, so the runs are the same runs.
    sizes: { tiny: { warmup: { checkpoint: join(dir, "warm", "tiny"), seed: 0, threads: 1 } } },
    grids: [{ name: "main", size: ["tiny"], estimator: ["rloo"], reward: ["correctness", "rlev"] }],
  };
}

const withoutTimings = (r: JobRecord) => {
  const { wallSeconds: _w, trainSeconds: _t, finishedAt: _f, ...rest } = r;
  return rest;
};
const byRun = (records: JobRecord[]) =>
  Object.fromEntries(records.map((r) => [`${r.cell} seed ${r.seed}`, withoutTimings(r)]));

function ok(r: CliResult) {
  expect(r.code, r.stderr).toBe(0);
  return r;
}

beforeAll(async () => {
  dir = await tempDir("rlev-shard-");
  singleGrid = join(dir, "single.json");
  shardGrid = join(dir, "sharded.json");
  await writeFile(singleGrid, JSON.stringify(grid("single")));
  await writeFile(shardGrid, JSON.stringify(grid("sharded")));
});

describe("rlev experiment --prepare / --shard / --merge on a tiny grid", () => {
  it("a shard refuses to start before the warm-ups are prepared", async () => {
    const r = await runCli(["experiment", "--config", shardGrid, "--shard", "0/3"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n").at(-1)).toContain(
      "no warm-up for size tiny: run `rlev experiment --prepare` with the same --config and --set once before the shards",
    );
  });

  it("three shards in three processes, merged, give exactly the records of one process", async () => {
    const prep = ok(
      await runCli(["experiment", "--config", shardGrid, "--prepare", "--save-warmup"], {
        timeoutMs: 300_000,
      }),
    );
    expect(prep.stdout).toMatch(/^warm-up tiny: .*warm\/tiny \(rebuilt, sha256 [0-9a-f]{64}\)$/m);
    // The same grid in one process (it finds the prepared warm-up and builds none).
    const single = ok(await runCli(["experiment", "--config", singleGrid], { timeoutMs: 300_000 }));
    expect(single.stdout).toContain("4 run(s) finished now");
    expect(single.stderr).not.toContain("rebuilding it with rlev sft");
    // Three shards at once, as three machines would run them.
    const shards = await Promise.all(
      [0, 1, 2].map((i) =>
        runCli(["experiment", "--config", shardGrid, "--shard", `${i}/3`], { timeoutMs: 300_000 }),
      ),
    );
    for (const s of shards) ok(s);
    expect(shards.map((s) => /(\d+) run\(s\) finished now/.exec(s.stdout)?.[1])).toEqual(["2", "1", "1"]);
    for (const s of shards) expect(s.stderr).not.toContain("rebuilding it with rlev sft");
    const merged = ok(await runCli(["experiment", "--config", shardGrid, "--merge", join(dir, "sharded")]));
    expect(merged.stdout).toBe(
      `merged 4 record(s) from 3 file(s) into ${join(dir, "sharded", "results.jsonl")}\n`,
    );

    const one = await readResults(join(dir, "single", "results.jsonl"));
    const all = await readResults(join(dir, "sharded", "results.jsonl"));
    expect(all.skipped).toEqual([]);
    expect(all.records).toHaveLength(4);
    expect(byRun(all.records)).toEqual(byRun(one.records));
    // Same final weights, run for run: the shards trained the same policies.
    expect(all.records.map((r) => r.finalDigest).sort()).toEqual(
      one.records.map((r) => r.finalDigest).sort(),
    );

    // --report reads the merged file.
    const report = ok(
      await runCli(["experiment", "--config", shardGrid, "--report", "--no-png"], { timeoutMs: 300_000 }),
    );
    expect(report.stdout).toContain("4 of 4 runs finished");
  }, 900_000);

  it("merging again is idempotent; a conflicting duplicate stops the merge naming both records", async () => {
    const shardsDir = join(dir, "sharded");
    const again = await mergeShardResults([shardsDir], join(shardsDir, "results.jsonl"));
    expect(again).toMatchObject({ records: 4, missingShards: [] });
    expect(again.duplicates).toBe(4); // the output's own records, found again in the shards

    const file1 = join(shardsDir, "results.shard-1-of-3.jsonl");
    const [line] = (await readFile(file1, "utf8")).trim().split("\n");
    const record = JSON.parse(line) as JobRecord;
    const changed = { ...record, final: { ...record.final, hAcc: record.final.hAcc + 0.01 }, wallSeconds: 1 };
    expect(recordDifference(record, { ...record, wallSeconds: 99, finishedAt: "x" })).toBeNull();
    expect(recordDifference(record, changed)).toBe("final.hAcc");
    const other = join(dir, "other");
    await mkdir(other);
    await writeFile(join(other, "results.shard-1-of-3.jsonl"), `${JSON.stringify(changed)}\n`);
    const out = join(dir, "conflict.jsonl");
    const r = await runCli([
      "experiment",
      "--config",
      shardGrid,
      "--merge",
      shardsDir,
      join(other, "results.shard-1-of-3.jsonl"),
      "--results",
      out,
    ]);
    expect(r.code).toBe(2);
    const msg = r.stderr.trim();
    expect(msg.split("\n")).toHaveLength(1);
    expect(msg).toContain(`${file1}:1 (${record.cell} seed ${record.seed}`);
    expect(msg).toContain(
      `${join(other, "results.shard-1-of-3.jsonl")}:1 (${record.cell} seed ${record.seed}`,
    );
    expect(msg).toContain("are the same run with different results (first difference: final.hAcc)");
    // Nothing half-written.
    await expect(readFile(out, "utf8")).rejects.toThrow(/ENOENT/);

    // Different settings for one (cell, seed) in two files: also a conflict.
    await writeFile(
      join(other, "results.shard-1-of-3.jsonl"),
      `${JSON.stringify({ ...record, hash: "f".repeat(64) })}\n`,
    );
    await expect(
      mergeShardResults([shardsDir, join(other, "results.shard-1-of-3.jsonl")], out),
    ).rejects.toThrow("ran the same cell and seed with different settings");

    // A missing shard is reported, not silently ignored.
    const partial = await mergeShardResults(
      [join(shardsDir, "results.shard-0-of-3.jsonl")],
      join(dir, "partial.jsonl"),
    );
    expect(partial.missingShards).toEqual(["1 of 3", "2 of 3"]);
  });
});
