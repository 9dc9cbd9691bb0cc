/**
 * Trainer benchmark in the demo's configuration (configs/demo.json, RLEV arm): an RL step's
 * breakdown under verl's metric names (timing_s/gen, timing_s/reward, timing_s/ref,
 * timing_s/update_actor, timing_s/step, perf/throughput), a warm-up (SFT) step, and a greedy
 * evaluation of the demo's held-out questions, all in one process.
 *
 *   node --import tsx bench/trainer.ts   (prints a table and a BENCH_RESULT line)
 *
 * Environment: RLEV_BENCH_INIT=<checkpoint> starts RL from another warm-up (default: the demo's,
 * checkpoints/warmup/base); RLEV_BENCH_ARM=<id> another arm of the demo; RLEV_BENCH_QUICK=1 for
 * fewer steps; RLEV_THREADS=n (default 1, as the demo runs each arm: two arms share the 2 cores).
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { evaluatePolicy } from "../src/eval/evaluate.js";
import { loadDemoConfig } from "../src/experiment/config.js";
import { makeJob, rewardOverrides } from "../src/experiment/grid.js";
import { EmbeddedPolicy } from "../src/model/embedded-policy.js";
import { makeRewardFn } from "../src/rewards/rewards.js";
import { generateExams } from "../src/task/exams.js";
import { solutionLength } from "../src/task/format.js";
import { SeedPurpose } from "../src/task/seeds.js";
import { packSequences } from "../src/train/batch.js";
import { rlStep, valueBucketEdges } from "../src/train/rl-step.js";
import { EpochSchedule, learningRateAt } from "../src/train/schedule.js";
import { maxPromptTokens, supervisedExample, taskTokenizer } from "../src/train/task-setup.js";
import type { BenchFigure, BenchReport } from "./engine.js";
import { formatReport } from "./engine.js";

const quick = process.env.RLEV_BENCH_QUICK === "1";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchTrainer(): Promise<BenchReport> {
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const threads = Number(process.env.RLEV_THREADS ?? 1);
  const demoFile = join(root, "configs", "demo.json");
  const demo = await loadDemoConfig(demoFile);
  const armId = process.env.RLEV_BENCH_ARM ?? "rlev";
  const arm = demo.arms.find((a) => a.id === armId);
  if (!arm) throw new Error(`configs/demo.json has no arm ${armId}`);
  const init = process.env.RLEV_BENCH_INIT ?? join(root, demo.warmup.checkpoint);
  if (!existsSync(init)) throw new Error(`warm-up checkpoint ${init} is missing`);
  const seed = demo.seeds[0];
  // The same layering as rlev demo, so the step is the demo's step.
  const config = makeJob({
    cell: arm.id,
    seed,
    values: arm.values,
    layers: [demo.config, rewardOverrides(arm.reward, undefined, seed), arm.set],
    warmup: { checkpoint: init, digest: "bench" },
    threads,
    out: join(root, "runs", "bench", "trainer"),
  }).config;
  const { train, test } = generateExams(config.task);
  const notes: string[] = [];
  const figures: BenchFigure[] = [];

  // Warm-up (SFT) step at the demo's batch, from a fresh policy.
  const tokenizer = taskTokenizer();
  const fresh = await EmbeddedPolicy.create({ ...config.model, vocabSize: tokenizer.vocabSize }, 0, {
    tokenizer,
    threads,
  });
  const sftLen = maxPromptTokens(train, tokenizer) + solutionLength(config.task.maxSteps, "worked");
  const sftTimes: number[] = [];
  for (let s = 0; s < (quick ? 4 : 8); s++) {
    const examples = train
      .slice(s * config.sft.batchSize, (s + 1) * config.sft.batchSize)
      .map((item, i) => supervisedExample(item, i % 2 ? "worked" : "direct", tokenizer));
    const packed = packSequences(
      examples.map((e) => e.prompt),
      examples.map((e) => e.response),
      sftLen,
      tokenizer.padId,
    );
    const t = performance.now();
    await fresh.supervisedStep({ ...packed, lossMask: packed.responseMask }, config.sft.lr);
    sftTimes.push((performance.now() - t) / 1000);
  }
  fresh.dispose();
  const sftStep = median(sftTimes.slice(1));
  figures.push({ name: `SFT step (batch ${config.sft.batchSize})`, value: sftStep, unit: "s" });
  figures.push({ name: "SFT compile + first step", value: sftTimes[0], unit: "s" });

  // RL steps from the demo's warm-up, exactly as runRl starts them.
  const policy = await EmbeddedPolicy.fromCheckpoint(init, { optimizer: config.optimizer, threads });
  policy.resetOptimizer();
  policy.snapshotReference();
  const tok = policy.tokenizer ?? tokenizer;
  const ctx = {
    config,
    policy,
    referenceLogprobs: (b: Parameters<EmbeddedPolicy["logprobs"]>[0]) => policy.referenceLogprobs(b),
    codec: tok,
    reward: makeRewardFn(config.reward, train),
    seqLen: maxPromptTokens(train, tok) + config.train.maxNewTokens,
    padId: tok.padId,
    valueBucketEdges: valueBucketEdges(
      train.map((i) => i.value),
      config.train.valueBuckets,
    ),
  };
  const tc = config.train;
  const schedule = new EpochSchedule(config.seed, SeedPurpose.rlBatch, train.length);
  const steps: Record<string, number>[] = [];
  for (let s = 1; s <= (quick ? 3 : 6); s++) {
    const items = schedule.batch(s - 1, tc.promptsPerStep).map((i) => train[i]);
    steps.push((await rlStep(ctx, items, s, learningRateAt(s - 1, tc.lr, tc.warmupSteps))).metrics);
  }
  const warm = steps.slice(1);
  const m = (k: string) => median(warm.map((r) => r[k]));
  const rollout = `${tc.promptsPerStep} prompts × ${tc.samplesPerPrompt}`;
  for (const [key, label] of [
    ["timing_s/gen", "generation"],
    ["timing_s/reward", "verification + reward"],
    ["timing_s/ref", "reference log-probs"],
    ["timing_s/update_actor", `actor update (${tc.miniBatches} mini-batches)`],
    ["timing_s/step", `whole step (${rollout})`],
  ] as const)
    figures.push({ name: `RL ${key}: ${label}`, value: m(key), unit: "s" });
  figures.push({ name: "RL perf/throughput", value: m("perf/throughput"), unit: "tokens/s" });
  figures.push({ name: "RL response_length/mean", value: m("response_length/mean"), unit: "tokens" });
  figures.push({ name: "RL compile + first step", value: steps[0]["timing_s/step"], unit: "s" });

  // Greedy evaluation on the demo's held-out questions, as runRl evaluates.
  const evalItems = test.slice(0, tc.evalItems);
  const te = performance.now();
  await evaluatePolicy(policy, evalItems, {
    codec: tok,
    maxNewTokens: tc.maxNewTokens,
    batchSize: config.eval.batchSize,
    eosPrompts: config.eval.eosPrompts,
    valueBuckets: config.eval.valueBuckets,
    bootstrap: 0,
  });
  const evalSeconds = (performance.now() - te) / 1000;
  figures.push({ name: `greedy evaluation of ${evalItems.length} questions`, value: evalSeconds, unit: "s" });
  const evaluations = tc.evalEvery > 0 ? 1 + Math.ceil(tc.steps / tc.evalEvery) : 1;
  const armSeconds = m("timing_s/step") * tc.steps + evaluations * evalSeconds;
  figures.push({
    name: `one arm: ${tc.steps} RL steps + ${evaluations} evaluations (estimate)`,
    value: armSeconds,
    unit: "s",
  });
  policy.dispose();
  notes.push(
    `Demo configuration: configs/demo.json, arm ${arm.id} (${arm.label}), from ${demo.warmup.checkpoint}; ${rollout} samples, response cap ${tc.maxNewTokens} tokens, ${tc.miniBatches} mini-batches; ${threads} engine thread(s), as the demo gives each arm (${demo.jobs} arms at once). Medians over steps 2–${steps.length} (step 1 compiles).`,
    "perf/throughput is verl's: prompt and response tokens processed per second of the whole step.",
    "Timings on a shared machine vary with the other processes' load (see the load averages).",
  );
  return {
    name: "trainer (demo RL step)",
    conditions: {
      config: "configs/demo.json",
      arm: arm.id,
      threads,
      node: process.version,
      "load average at start": Number(load0.toFixed(2)),
      "load average at end": Number(loadavg()[0].toFixed(2)),
      seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    },
    figures,
    notes,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const report = await benchTrainer();
  console.log(formatReport(report));
  console.log(`BENCH_RESULT ${JSON.stringify(report)}`);
}
