import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkpointDigest } from "../../src/model/checkpoint.js";
import { runRl } from "../../src/train/rl.js";
import { checkpointPath } from "../../src/train/run-dir.js";
import { runSft } from "../../src/train/sft.js";
import { deterministicLog, tempDir, tinyConfig } from "./tiny.js";

// One warm-up and one uninterrupted RL run serve as the references for every test below.
let sftA: string;
let rlA: string;
const rlConfig = () => tinyConfig();

beforeAll(async () => {
  sftA = await tempDir("rlev-sft-a-");
  const sft = await runSft(tinyConfig(), sftA);
  expect(sft.status).toBe("completed");
  rlA = await tempDir("rlev-rl-a-");
  const cfg = rlConfig();
  cfg.train.init = join(sftA, "final");
  const rl = await runRl(cfg, rlA);
  expect(rl.status).toBe("completed");
}, 300_000);

describe("runSft / runRl reproducibility", () => {
  it("gives an identical warm-up for a fixed seed", async () => {
    const dir = await tempDir("rlev-sft-b-");
    await runSft(tinyConfig(), dir);
    expect(await deterministicLog(join(dir, "metrics.jsonl"))).toEqual(
      await deterministicLog(join(sftA, "metrics.jsonl")),
    );
    expect(await checkpointDigest(join(dir, "final"))).toBe(await checkpointDigest(join(sftA, "final")));
    // A different seed trains differently.
    const other = await tempDir("rlev-sft-c-");
    await runSft(tinyConfig({ seed: 4 }), other);
    expect(await checkpointDigest(join(other, "final"))).not.toBe(
      await checkpointDigest(join(sftA, "final")),
    );
  });

  it("logs every step with the spec's metric names", async () => {
    const log = await deterministicLog(join(rlA, "metrics.jsonl"));
    expect(log.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const names = [
      "critic/score/mean",
      "critic/rewards/mean",
      "critic/advantages/mean",
      "critic/advantages/max",
      "critic/advantages/min",
      "response_length/mean",
      "response_length/clip_ratio",
      "actor/pg_loss",
      "actor/pg_clipfrac",
      "actor/ppo_kl",
      "actor/entropy",
      "actor/kl_loss",
      "actor/grad_norm",
      "actor/lr",
      "eos_grad/value_bucket_0",
    ];
    for (const r of log.slice(1)) for (const n of names) expect(typeof r[n], n).toBe("number");
    // Held-out evaluation at step 0 (the warm-up), every 3 steps and at the end.
    expect(log.filter((r) => "eval/acc" in r).map((r) => r.step)).toEqual([0, 3, 6]);
  });

  it("gives an identical RL run for a fixed seed", async () => {
    const dir = await tempDir("rlev-rl-b-");
    const cfg = rlConfig();
    cfg.train.init = join(sftA, "final");
    await runRl(cfg, dir);
    expect(await deterministicLog(join(dir, "metrics.jsonl"))).toEqual(
      await deterministicLog(join(rlA, "metrics.jsonl")),
    );
    expect(await checkpointDigest(join(dir, "final"))).toBe(await checkpointDigest(join(rlA, "final")));
  });

  it("resumes a stopped run to exactly the uninterrupted run's metrics and weights", async () => {
    const dir = await tempDir("rlev-rl-stop-");
    const cfg = rlConfig();
    cfg.train.init = join(sftA, "final");
    const controller = new AbortController();
    // Stop after step 3, between checkpoints (every 2): the stop itself must save step 3.
    const first = await runRl(cfg, dir, {
      signal: controller.signal,
      onRecord: (r) => {
        if (r.step === 3) controller.abort();
      },
    });
    expect(first).toMatchObject({ status: "interrupted", step: 3 });
    expect(existsSync(checkpointPath(dir, 3))).toBe(true);
    expect(existsSync(join(dir, "run.lock"))).toBe(false);
    const second = await runRl(cfg, dir);
    expect(second.status).toBe("completed");
    expect(await deterministicLog(join(dir, "metrics.jsonl"))).toEqual(
      await deterministicLog(join(rlA, "metrics.jsonl")),
    );
    expect(await checkpointDigest(join(dir, "final"))).toBe(await checkpointDigest(join(rlA, "final")));
  });

  it("resumes from the previous checkpoint when the newest one is corrupted", async () => {
    const dir = await tempDir("rlev-rl-corrupt-");
    const cfg = rlConfig();
    cfg.train.init = join(sftA, "final");
    const controller = new AbortController();
    await runRl(cfg, dir, {
      signal: controller.signal,
      onRecord: (r) => {
        if (r.step === 3) controller.abort();
      },
    });
    // Flip one byte of the step-3 weights: its sha256 no longer matches the manifest.
    const weights = join(checkpointPath(dir, 3), "model.safetensors");
    const bytes = await readFile(weights);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(weights, bytes);
    const warnings: string[] = [];
    const resumed = await runRl(cfg, dir, { log: (m) => warnings.push(m) });
    expect(resumed.status).toBe("completed");
    expect(warnings.join("\n")).toMatch(/skipping unreadable checkpoint .*step-000003.*sha256/);
    expect(warnings.join("\n")).toMatch(/resuming .* from step 2/);
    expect(await deterministicLog(join(dir, "metrics.jsonl"))).toEqual(
      await deterministicLog(join(rlA, "metrics.jsonl")),
    );
    expect(await checkpointDigest(join(dir, "final"))).toBe(await checkpointDigest(join(rlA, "final")));
  });

  it("refuses to resume a run with a different configuration", async () => {
    const cfg = rlConfig();
    cfg.train.init = join(sftA, "final");
    cfg.train.lr = 1e-3;
    await expect(runRl(cfg, rlA)).rejects.toThrow(/different configuration \(train\.lr/);
  });

  it("skips non-finite RL updates, logs them, and aborts after the configured number in a row", async () => {
    const dir = await tempDir("rlev-rl-nan-");
    const cfg = rlConfig();
    cfg.train.init = join(sftA, "final");
    // The first update with this learning rate is finite but wrecks the weights; from then on
    // every loss is NaN and each update is skipped.
    cfg.train.lr = 1e30;
    cfg.train.maxNonFiniteSteps = 3;
    const logged: string[] = [];
    await expect(runRl(cfg, dir, { log: (m) => logged.push(m) })).rejects.toThrow(
      /not finite in 3 consecutive steps \(last at step 3\)/,
    );
    expect(logged.filter((m) => /skipped for a non-finite/.test(m))).toHaveLength(3);
    const log = await deterministicLog(join(dir, "metrics.jsonl"));
    expect(log.map((r) => r["train/nonfinite_streak"] ?? null)).toEqual([null, 1, 2, 3]);
    expect(existsSync(join(dir, "run.lock"))).toBe(false);
  });

  it("aborts with a clear message after repeated non-finite updates", async () => {
    const dir = await tempDir("rlev-sft-nan-");
    // A huge learning rate blows the weights up after the first update; every later loss is non-finite.
    const cfg = tinyConfig({ sft: { lr: 1e30, steps: 10 }, train: { maxNonFiniteSteps: 3 } });
    const logged: string[] = [];
    await expect(runSft(cfg, dir, { log: (m) => logged.push(m) })).rejects.toThrow(
      /not finite in 3 consecutive steps/,
    );
    expect(logged.filter((m) => /update skipped/.test(m))).toHaveLength(3);
    const log = await deterministicLog(join(dir, "metrics.jsonl"));
    expect(log.at(-1)?.["train/skipped_updates"]).toBe(1);
    expect(existsSync(join(dir, "run.lock"))).toBe(false);
  });
});
