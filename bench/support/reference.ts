/** What the engine benchmarks share: the reference model, a sampling set-up that always runs to the cap, the main thread's CPU clock. */
import { readFileSync } from "node:fs";
import { type ModelConfig, OptimizerConfigSchema } from "../../src/config/model.js";
import { predictionBatch } from "../../src/model/batch.js";
import { jax } from "../../src/model/engine.js";
import { adamScalars, initAdamState } from "../../src/model/optimizer.js";
import { initHostParams, type Params, paramsToDevice } from "../../src/model/params.js";
import { makeStepFunctions } from "../../src/model/steps.js";
import { EOS_ID } from "../../src/model/tokenizer.js";

/** The reference model of the engine notes: 822k parameters with vocab 64. */
export const REFERENCE_MODEL = {
  vocabSize: 64,
  dModel: 128,
  nLayers: 4,
  nHeads: 4,
  dMlp: 512,
  contextLength: 96,
  positions: "learned",
  tokenShift: false,
} as const;

/**
 * Parameters whose EOS logit is pushed far down at every position (lnf.b[0] = 10 and
 * head[0, EOS] = −10 add −100), so every sampled row runs to the token cap and timings compare.
 */
export function runToCapParams(model: ModelConfig): Params {
  const host = initHostParams(model, 2);
  host.get("lnf.b")![0] = 10;
  const head = host.get("head")!;
  for (let j = 0; j < model.vocabSize; j++) head[j] = 0;
  head[EOS_ID] = -10;
  return paramsToDevice(model, host);
}

/** Deterministic prompts of `rows` × `length` ordinary tokens (ids 2 … vocab − 1). */
export function benchPrompts(rows: number, length: number, vocabSize: number): number[][] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length }, (_, j) => 2 + ((r * 7 + j * 3) % (vocabSize - 2))),
  );
}

/** CPU seconds of the main thread so far (Linux /proc; NaN elsewhere). */
export function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The benchmark's batch: B × T pseudo-random ordinary tokens (an LCG) in prediction alignment. */
export function referenceBatch(model: ModelConfig, B: number, T: number) {
  const tokens = new Int32Array(B * T);
  let s = 12345;
  for (let i = 0; i < tokens.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    tokens[i] = 2 + (s % (model.vocabSize - 2));
  }
  return predictionBatch(tokens, B, T, B, T, model.vocabSize);
}

/**
 * The benchmarked training step: supervised forward + backward + AdamW on a fixed batch of B × T
 * pseudo-random tokens, weights from seed 1. `step(t)` runs update t (1, 2, …) and waits for it;
 * `stepStats(t)` does the same and returns the step's stats [loss, grad_norm, applied].
 */
export function referenceTrainStep(
  model: ModelConfig,
  B: number,
  T: number,
): {
  step: (t: number) => Promise<void>;
  stepStats: (t: number) => Promise<Float32Array>;
  dispose: () => void;
} {
  const { numpy: np, tree } = jax();
  const optim = OptimizerConfigSchema.parse({});
  const fns = makeStepFunctions(model, optim);
  let params = paramsToDevice(model, initHostParams(model, 1));
  let state = initAdamState(model);
  const pb = referenceBatch(model, B, T);
  const weights = new Float32Array(B * T).fill(1 / (B * T));
  const stepStats = async (t: number) => {
    const [p, st, stats] = fns.supervised(
      params,
      state,
      np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.targets, { dtype: np.int32 }),
      np.array(weights),
      np.array(new Float32Array(adamScalars(1e-4, t, optim))),
    );
    params = p;
    state = st;
    return new Float32Array((await stats.data()) as Float32Array);
  };
  return {
    stepStats,
    async step(t: number) {
      await stepStats(t);
    },
    dispose() {
      tree.dispose(params);
      tree.dispose(state);
      fns.supervised.dispose();
      fns.policy.dispose();
      fns.logprobs.dispose();
    },
  };
}
