/**
 * Trainer benchmark: what the demo and the multi-seed grid cost on this machine. Times a warm-up
 * (SFT) step, an RL step at the default rollout size (with its generation / reference / update
 * split), and a greedy evaluation of the whole held-out split, all in one process.
 *
 *   node --import tsx bench/trainer.ts   (prints a table and a BENCH_RESULT line)
 *
 * Environment: RLEV_BENCH_INIT=<checkpoint> starts RL from that warm-up (default:
 * checkpoints/warmup when present, else a random policy, whose responses run to the length cap and
 * so overstate the RL step); RLEV_BENCH_QUICK=1 for fewer repetitions; RLEV_THREADS=n.
 */
import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseConfig } from "../src/config/index.js";
import { evaluatePolicy } from "../src/eval/evaluate.js";
import { EmbeddedPolicy } from "../src/model/embedded-policy.js";
import { makeRewardFn } from "../src/rewards/rewards.js";
import { generateExams } from "../src/task/exams.js";
import { solutionLength } from "../src/task/format.js";
import { packSequences } from "../src/train/batch.js";
import { rlStep, valueBucketEdges } from "../src/train/rl-step.js";
import { maxPromptTokens, supervisedExample, taskTokenizer } from "../src/train/task-setup.js";
import type { BenchFigure, BenchReport } from "./engine.js";
import { formatReport } from "./engine.js";

const quick = process.env.RLEV_BENCH_QUICK === "1";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchTrainer(): Promise<BenchReport> {
  const t0 = performance.now();
  const load0 = loadavg()[0];
  const threads = Number(process.env.RLEV_THREADS ?? availableParallelism());
  const config = parseConfig({ engine: { threads } });
  const { train, test } = generateExams(config.task);
  const notes: string[] = [];
  const figures: BenchFigure[] = [];

  // Warm-up step at the default batch, from a fresh policy.
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
  figures.push({ name: `SFT compile + first step`, value: sftTimes[0], unit: "s" });
  figures.push({
    name: `warm-up of ${config.sft.steps} steps (estimate)`,
    value: sftStep * config.sft.steps,
    unit: "s",
  });

  // RL steps at the default rollout size.
  const init =
    process.env.RLEV_BENCH_INIT ??
    (existsSync(join("checkpoints", "warmup")) ? join("checkpoints", "warmup") : "");
  const policy = init
    ? await EmbeddedPolicy.fromCheckpoint(init, { threads })
    : await EmbeddedPolicy.create({ ...config.model, vocabSize: tokenizer.vocabSize }, 0, {
        tokenizer,
        threads,
      });
  if (!init) notes.push("No warm-up checkpoint: RL timed from a random policy (responses run to the cap).");
  else notes.push(`RL timed from the warm-up checkpoint ${init}.`);
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
      3,
    ),
  };
  const P = config.train.promptsPerStep;
  const steps: Record<string, number>[] = [];
  for (let s = 1; s <= (quick ? 3 : 6); s++)
    steps.push((await rlStep(ctx, train.slice((s - 1) * P, s * P), s, config.train.lr)).metrics);
  const warm = steps.slice(1);
  const m = (k: string) => median(warm.map((r) => r[k]));
  const rollout = `${P} prompts x ${config.train.samplesPerPrompt}`;
  figures.push({ name: `RL step (${rollout})`, value: m("timing_s/step"), unit: "s" });
  figures.push({ name: "  generation", value: m("timing_s/gen"), unit: "s" });
  figures.push({ name: "  reference log-probs", value: m("timing_s/ref"), unit: "s" });
  figures.push({ name: "  actor update", value: m("timing_s/update_actor"), unit: "s" });
  figures.push({ name: "  mean response length", value: m("response_length/mean"), unit: "tokens" });
  figures.push({ name: "RL compile + first step", value: steps[0]["timing_s/step"], unit: "s" });
  figures.push({
    name: `RL run of ${config.train.steps} steps (estimate)`,
    value: m("timing_s/step") * config.train.steps,
    unit: "s",
  });

  // Greedy evaluation of the whole held-out split.
  const te = performance.now();
  await evaluatePolicy(policy, test, {
    codec: tok,
    maxNewTokens: config.eval.maxNewTokens,
    batchSize: config.eval.batchSize,
    eosPrompts: config.eval.eosPrompts,
    valueBuckets: config.eval.valueBuckets,
    bootstrap: 0,
  });
  figures.push({
    name: `greedy evaluation of ${test.length} questions`,
    value: (performance.now() - te) / 1000,
    unit: "s",
  });
  policy.dispose();
  notes.push("Timings on a shared machine vary with the other processes' load (see the load averages).");
  return {
    name: "trainer",
    conditions: {
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
