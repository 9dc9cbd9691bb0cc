import type { ExperimentConfig } from "../../src/experiment/config.js";
import { ExperimentConfigSchema } from "../../src/experiment/config.js";
import type { FinalMetrics, JobRecord, TracePoint } from "../../src/experiment/record.js";

/** A grid shaped like configs/experiment.json, small enough to reason about by hand. */
export function gridConfig(over: Partial<Record<string, unknown>> = {}): ExperimentConfig {
  return ExperimentConfigSchema.parse({
    seeds: [1, 2, 3],
    config: { reward: { alpha: 10 } },
    sizes: {
      base: { warmup: { checkpoint: "checkpoints/warmup/base" } },
      large: { warmup: { checkpoint: "checkpoints/warmup/large" }, set: { model: { dModel: 192 } } },
    },
    estimators: { reinforce_pp: { rl: { klPlacement: "reward", klEstimator: "k1" } } },
    grids: [
      { name: "main", size: ["base", "large"], estimator: ["rloo", "grpo"], reward: ["correctness", "rlev"] },
      { name: "ablations", size: ["base"], estimator: ["rloo"], reward: ["uniform", "shuffled"] },
      { name: "alpha", size: ["base"], estimator: ["rloo"], reward: ["rlev"], alpha: [1, 10, 20] },
      {
        name: "weak",
        size: ["base"],
        estimator: ["rloo"],
        reward: ["rlev", "correctness"],
        values: ["weak"],
      },
    ],
    ...over,
  });
}

const final = (hAcc: number, over: Partial<FinalMetrics> = {}): FinalMetrics => ({
  n: 100,
  acc: hAcc,
  hAcc,
  meanLength: 10,
  valueDensity: (100 * hAcc) / 10,
  topAcc: hAcc,
  bottomAcc: hAcc,
  workedShare: 0.5,
  truncatedShare: 0,
  byDifficulty: [],
  withinDifficulty: [],
  lengthByValue: [{ bucket: 1, lo: 0.01, hi: 0.05, items: 100, acc: hAcc, meanLength: 10 }],
  eos: { prompts: 5, high: [0.1, 0.9], low: [0.2, 0.8] },
  ...over,
});

/** A synthetic result record: only what a test sets matters. */
export function record(cell: string, seed: number, hAcc: number, over: Partial<JobRecord> = {}): JobRecord {
  const trace: TracePoint[] = [1, 2, 3].map((step) => ({
    step,
    score: 0.5,
    reward: 0.5,
    length: 10,
    pgLoss: 0.1 * step,
    gradNorm: 1,
    entropy: 0.3,
    kl: 0,
  }));
  return {
    format: "rlev-experiment-result",
    version: 1,
    cell,
    seed,
    hash: "h",
    estimator: "rloo",
    reward: { kind: "rlev", alpha: 10, lengthCost: 0 },
    values: "exam",
    warmupDigest: "w",
    finalDigest: `d-${seed}`,
    steps: 3,
    final: final(hAcc, over.final),
    curve: [
      { step: 0, acc: 0.5, hAcc: 0.5, length: 9, workedShare: 0.5 },
      { step: 3, acc: hAcc, hAcc, length: 10, workedShare: 0.5 },
    ],
    trace,
    eosGradient: { edges: [0.03, 0.05], abs: [1, 1, 1], signed: [0, 0, 0], firstStep: [1, 1, 1] },
    wallSeconds: 1,
    trainSeconds: 1,
    finishedAt: "2026-01-01T00:00:00Z",
    ...over,
    ...(over.final ? { final: final(hAcc, over.final) } : {}),
  };
}

/** The shared settings of a tiny real grid (one-layer model, 3 RL steps): runs in seconds, from source. */
export const tinyShared = {
  model: { dModel: 32, nLayers: 1, nHeads: 2, dMlp: 64, contextLength: 32 },
  task: { trainExams: 8, testExams: 2, questionsPerExam: 10, maxSteps: 3 },
  sft: {
    steps: 8,
    batchSize: 16,
    lr: 0.003,
    warmupSteps: 0,
    checkpointEvery: 4,
    evalEvery: 0,
    evalItems: 20,
  },
  train: {
    steps: 3,
    promptsPerStep: 4,
    samplesPerPrompt: 4,
    maxNewTokens: 12,
    miniBatches: 2,
    evalEvery: 2,
    evalItems: 20,
    checkpointEvery: 2,
  },
  eval: { batchSize: 32, eosPrompts: 5, bootstrap: 0, maxNewTokens: 12 },
  rl: { klCoef: 0.01 },
};
