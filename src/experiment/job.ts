import { join } from "node:path";
import type { TaskConfig } from "../config/task.js";
import type { Item } from "../data/item.js";
import { type EvaluationResult, writeEvaluation } from "../eval/evaluate.js";
import { sampleAndGrade } from "../eval/grade.js";
import { checkpointDigest } from "../model/checkpoint.js";
import { EmbeddedPolicy } from "../model/embedded-policy.js";
import { engineInfo } from "../model/engine.js";
import { generateExams } from "../task/exams.js";
import { deriveSeed, SeedPurpose } from "../task/seeds.js";
import { readMetricsLog } from "../train/metrics-log.js";
import { runRl } from "../train/rl.js";
import { valueBucketEdges } from "../train/rl-step.js";
import { writeFileAtomic } from "../util/atomic.js";
import { RlevError } from "../util/errors.js";
import { DIFFICULTY_CLASSES, type DifficultyClass, withWeakValue } from "../values/weak.js";
import type { Job } from "./grid.js";
import { curveFromLog, eosGradientFromLog, finalMetrics, type JobRecord, traceFromLog } from "./record.js";
import { type Sensitivity, valueSensitivity } from "./sensitivity.js";

export const RESULT_FILE = "result.json";

/**
 * P(worked | value, difficulty) of a final policy from `samples` responses per question sampled at
 * temperature 1 (seeded by the run seed, apart from every training step's sampling seed).
 */
export async function sampledSensitivity(
  checkpoint: string,
  items: readonly Item[],
  opts: {
    seed: number;
    maxNewTokens: number;
    batchSize: number;
    threads?: number;
    fusedMultiplyAdd?: boolean;
    samples: number;
  },
): Promise<Sensitivity> {
  const samples = opts.samples;
  const policy = await EmbeddedPolicy.fromCheckpoint(checkpoint, {
    threads: opts.threads,
    fusedMultiplyAdd: opts.fusedMultiplyAdd,
  });
  try {
    if (!policy.tokenizer) throw new RlevError(`${checkpoint} has no tokenizer.json`);
    const repeated = items.flatMap((item) => Array.from({ length: samples }, () => item));
    const { rows } = await sampleAndGrade(policy, repeated, policy.tokenizer, {
      maxNewTokens: opts.maxNewTokens,
      batchSize: opts.batchSize,
      temperature: 1,
      seed: deriveSeed(opts.seed, SeedPurpose.rlSample, 1_000_000),
    });
    return valueSensitivity(rows, samples, 1);
  } finally {
    policy.dispose();
  }
}

/**
 * The weak-value class of a chain of `steps` steps: the task's difficulty range cut into the
 * paper's five classes (primary … PhD, scores 1, 2, 4, 6, 8 / 100) in equal parts, so a weak value
 * is a coarse difficulty proxy, as the paper's weak labels are.
 */
export function weakClassOfSteps(steps: number, minSteps: number, maxSteps: number): DifficultyClass {
  const span = maxSteps - minSteps + 1;
  const i = Math.min(
    DIFFICULTY_CLASSES.length - 1,
    Math.floor(((steps - minSteps) * DIFFICULTY_CLASSES.length) / span),
  );
  return DIFFICULTY_CLASSES[Math.max(0, i)];
}

/** Train items with weak difficulty-based values instead of exam points (evaluation keeps the true ones). */
export function weakTrainItems(task: TaskConfig) {
  return (items: readonly Item[]): Item[] =>
    items.map((item) =>
      withWeakValue(item, weakClassOfSteps(item.difficulty ?? task.minSteps, task.minSteps, task.maxSteps)),
    );
}

export interface JobHooks {
  signal?: AbortSignal;
  onProgress?: (step: number, total: number, fields: Record<string, number>) => void;
  log?: (message: string) => void;
}

/**
 * One experiment run, in this process: RL from the warm-up (resuming the run folder when it holds
 * checkpoints), the final held-out evaluation (responses.jsonl, metrics.json), and the result
 * record written atomically to `<runDir>/result.json`. Returns null when interrupted.
 */
export async function runRlJob(job: Job, hooks: JobHooks = {}): Promise<JobRecord | null> {
  const started = performance.now();
  const cfg = job.config;
  let finalEval: EvaluationResult | null = null;
  const result = await runRl(cfg, job.runDir, {
    signal: hooks.signal,
    log: hooks.log,
    trainItems: job.values === "weak" ? weakTrainItems(cfg.task) : undefined,
    onEvaluation: (step, r) => {
      if (step === cfg.train.steps) finalEval = r;
    },
    onRecord: (r) => {
      const fields: Record<string, number> = {};
      for (const [k, name] of [
        ["critic/score/mean", "score"],
        ["response_length/mean", "length"],
        ["eval/acc", "evalAcc"],
        ["eval/h_acc", "evalHAcc"],
      ] as const)
        if (typeof r[k] === "number") fields[name] = r[k] as number;
      hooks.onProgress?.(r.step, cfg.train.steps, fields);
    },
  });
  if (result.status === "interrupted") return null;
  const evaluation = finalEval as EvaluationResult | null;
  if (!evaluation || !result.finalCheckpoint)
    throw new RlevError(`${job.runDir}: the run finished without a final evaluation`);
  await writeEvaluation(job.runDir, evaluation, { cell: job.cell, seed: job.seed, decoding: "greedy" });
  const log = await readMetricsLog(join(job.runDir, "metrics.jsonl"));
  // The same edges the trainer used for its eos_grad buckets (quantiles of the train values).
  const train = generateExams(cfg.task).train;
  const trainValues = (job.values === "weak" ? weakTrainItems(cfg.task)(train) : train).map((i) => i.value);
  const edges = valueBucketEdges(trainValues, cfg.train.valueBuckets);
  const grad = eosGradientFromLog(log, edges.length);
  // Experiment runs measure the sampled value sensitivity; the demo does not (it keeps its time).
  const samples = job.sensitivitySamples ?? 0;
  const sampled =
    samples > 0
      ? await sampledSensitivity(
          result.finalCheckpoint,
          generateExams(cfg.task).test.slice(0, cfg.train.evalItems),
          {
            seed: cfg.seed,
            maxNewTokens: cfg.train.maxNewTokens,
            batchSize: cfg.eval.batchSize,
            threads: cfg.engine.threads || undefined,
            fusedMultiplyAdd: cfg.engine.fusedMultiplyAdd,
            samples,
          },
        )
      : null;

  const record: JobRecord = {
    format: "rlev-experiment-result",
    version: 1,
    cell: job.cell,
    seed: job.seed,
    hash: job.hash,
    estimator: cfg.rl.estimator,
    reward: { kind: cfg.reward.kind, alpha: cfg.reward.alpha, lengthCost: cfg.reward.lengthCost },
    values: job.values,
    warmupDigest: job.warmupDigest,
    finalDigest: await checkpointDigest(result.finalCheckpoint),
    steps: result.step,
    final: finalMetrics(evaluation.rows, evaluation.metrics),
    curve: curveFromLog(log),
    trace: traceFromLog(log),
    eosGradient: { edges: edges.slice(0, -1), abs: grad.abs, signed: grad.signed, firstStep: grad.firstStep },
    ...(sampled ? { sensitivity: { greedy: valueSensitivity(evaluation.rows, 1, 0), sampled } } : {}),
    engine: { fusedMultiplyAdd: engineInfo()?.fusedMultiplyAdd ?? cfg.engine.fusedMultiplyAdd },
    wallSeconds: (performance.now() - started) / 1000,
    trainSeconds: result.trainSeconds,
    finishedAt: new Date().toISOString(),
  };
  await writeFileAtomic(join(job.runDir, RESULT_FILE), `${JSON.stringify(record)}\n`);
  return record;
}
