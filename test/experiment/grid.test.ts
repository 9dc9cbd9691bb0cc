import { describe, expect, it } from "vitest";
import { ExperimentConfigSchema } from "../../src/experiment/config.js";
import { selectCells } from "../../src/experiment/experiment.js";
import { canonicalJson, cellId, expandGrid, jobHash, makeJob, planJobs } from "../../src/experiment/grid.js";
import { gridConfig } from "./fixtures.js";

describe("grid expansion", () => {
  it("takes each block's cartesian product, lists shared cells once, in first-listed order", () => {
    const cells = expandGrid(gridConfig());
    // main: 2 sizes × 2 estimators × 2 rewards = 8; ablations 2; alpha 1, 10, 20 → 10 is main's
    // base/rloo/rlev, so 2 new; weak: rlev-weak new, correctness on weak values is plain correctness.
    expect(cells.map((c) => c.id)).toEqual([
      "base/rloo/correctness",
      "base/rloo/rlev",
      "base/grpo/correctness",
      "base/grpo/rlev",
      "large/rloo/correctness",
      "large/rloo/rlev",
      "large/grpo/correctness",
      "large/grpo/rlev",
      "base/rloo/uniform",
      "base/rloo/shuffled",
      "base/rloo/rlev-a1",
      "base/rloo/rlev-a20",
      "base/rloo/rlev-weak",
    ]);
    const shared = cells.find((c) => c.id === "base/rloo/rlev")!;
    expect(shared.blocks).toEqual(["main", "alpha"]);
    expect(cells.find((c) => c.id === "base/rloo/correctness")!.blocks).toEqual(["main", "weak"]);
    expect(cells.find((c) => c.id === "base/rloo/rlev-a1")).toMatchObject({
      alpha: 1,
      reward: "rlev",
      values: "exam",
    });
  });

  it("normalizes α away for correctness (it does not enter the reward)", () => {
    const exp = gridConfig({
      grids: [
        { name: "a", size: ["base"], estimator: ["rloo"], reward: ["correctness", "rlev"], alpha: [5, 10] },
      ],
    });
    expect(expandGrid(exp).map((c) => c.id)).toEqual([
      "base/rloo/correctness",
      "base/rloo/rlev-a5",
      "base/rloo/rlev",
    ]);
    expect(cellId({ size: "s", estimator: "grpo", reward: "uniform", alpha: 3, values: "weak" }, 10)).toBe(
      "s/grpo/uniform-a3-weak",
    );
  });

  it("rejects a block naming an unknown size, naming the field", () => {
    const r = ExperimentConfigSchema.safeParse({
      seeds: [1],
      sizes: { base: { warmup: { checkpoint: "x" } } },
      grids: [{ name: "m", size: ["base", "huge"], estimator: ["rloo"], reward: ["rlev"] }],
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(["grids", 0, "size", 1]);
    expect(r.error!.issues[0].message).toContain('unknown size "huge"');
  });

  it("a block's variant applies its overrides to its cells, whose ids carry the tag", () => {
    const exp = gridConfig({
      grids: [
        { name: "m", size: ["base"], estimator: ["grpo"], reward: ["rlev"] },
        {
          name: "free",
          size: ["base"],
          estimator: ["grpo"],
          reward: ["rlev", "correctness"],
          variant: { tag: "nolength", set: { reward: { lengthCost: 0 } } },
        },
      ],
      config: { reward: { lengthCost: 0.2 } },
    });
    const cells = expandGrid(exp);
    expect(cells.map((c) => c.id)).toEqual([
      "base/grpo/rlev",
      "base/grpo/rlev+nolength",
      "base/grpo/correctness+nolength",
    ]);
    const jobs = planJobs(exp, cells, [1], new Map([["base", { checkpoint: "w", digest: "d" }]]));
    expect(jobs.map((j) => j.config.reward.lengthCost)).toEqual([0.2, 0, 0]);
    expect(jobs[1].config.reward.kind).toBe("rlev");
    // One tag, one meaning.
    const clash = ExperimentConfigSchema.safeParse({
      seeds: [1],
      sizes: { base: { warmup: { checkpoint: "x" } } },
      grids: [
        {
          name: "a",
          size: ["base"],
          estimator: ["rloo"],
          reward: ["rlev"],
          variant: { tag: "v", set: { seed: 1 } },
        },
        {
          name: "b",
          size: ["base"],
          estimator: ["rloo"],
          reward: ["rlev"],
          variant: { tag: "v", set: { seed: 2 } },
        },
      ],
    });
    expect(clash.success).toBe(false);
    expect(clash.error!.issues[0].message).toContain('variant "v" is defined twice');
  });

  it("selects cells by pattern and refuses a pattern that matches none", () => {
    const cells = expandGrid(gridConfig());
    expect(selectCells(cells, ["base/rloo/rlev*"]).map((c) => c.id)).toEqual([
      "base/rloo/rlev",
      "base/rloo/rlev-a1",
      "base/rloo/rlev-a20",
      "base/rloo/rlev-weak",
    ]);
    expect(selectCells(cells, ["large/*/correctness"]).map((c) => c.id)).toEqual([
      "large/rloo/correctness",
      "large/grpo/correctness",
    ]);
    expect(() => selectCells(cells, ["base/ppo/*"])).toThrow("matches no cell");
  });
});

describe("jobs", () => {
  const warmups = new Map([
    ["base", { checkpoint: "w/base", digest: "aaa", source: "committed" as const }],
    ["large", null],
  ]);

  it("resolves each cell's config in layers: shared, size, estimator preset, estimator, reward, seed", () => {
    const exp = gridConfig({
      grids: [{ name: "m", size: ["base"], estimator: ["reinforce_pp"], reward: ["shuffled"], alpha: [5] }],
    });
    const [job] = planJobs(exp, expandGrid(exp), [7], warmups);
    expect(job.cell).toBe("base/reinforce_pp/shuffled-a5");
    expect(job.config.seed).toBe(7);
    expect(job.config.rl).toMatchObject({
      estimator: "reinforce_pp",
      klPlacement: "reward",
      klEstimator: "k1",
    });
    // The shuffle differs per seed, so the ablation averages over shuffles.
    expect(job.config.reward).toMatchObject({ kind: "shuffled", alpha: 5, shuffleSeed: 7 });
    expect(job.config.train.init).toBe("w/base");
    expect(job.config.engine.threads).toBe(1);
    expect(job.runDir).toBe(`runs/experiment/base/reinforce_pp/shuffled-a5/seed-7-${job.hash.slice(0, 8)}`);
  });

  it("orders jobs seed-major and leaves out sizes without a warm-up", () => {
    const exp = gridConfig();
    const jobs = planJobs(exp, expandGrid(exp), [1, 2], warmups);
    expect(jobs.some((j) => j.cell.startsWith("large/"))).toBe(false);
    expect(jobs.slice(0, 2).map((j) => [j.cell, j.seed])).toEqual([
      ["base/rloo/correctness", 1],
      ["base/rloo/rlev", 1],
    ]);
    expect(jobs.findIndex((j) => j.seed === 2)).toBe(jobs.length / 2);
  });

  it("hashes what a run computes, not how it is run", () => {
    const base = makeJob({
      cell: "c",
      seed: 1,
      values: "exam",
      layers: [{ train: { steps: 10 } }],
      warmup: { checkpoint: "a", digest: "d1" },
      threads: 1,
      out: "o",
    });
    const same = makeJob({
      cell: "c",
      seed: 1,
      values: "exam",
      layers: [{ train: { steps: 10, checkpointEvery: 3 } }],
      warmup: { checkpoint: "elsewhere", digest: "d1" },
      threads: 2,
      out: "o",
    });
    expect(same.hash).toBe(base.hash);
    const otherSteps = jobHash({ ...base.config, train: { ...base.config.train, steps: 11 } }, "exam", "d1");
    expect(otherSteps).not.toBe(base.hash);
    expect(jobHash(base.config, "weak", "d1")).not.toBe(base.hash);
    expect(jobHash(base.config, "exam", "d2")).not.toBe(base.hash);
  });

  it("canonical JSON sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});
