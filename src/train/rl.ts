import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config/index.js";
import type { Item } from "../data/item.js";
import { evaluatePolicy } from "../eval/evaluate.js";
import type { EvalMetrics } from "../eval/summary.js";
import { checkpointDigest } from "../model/checkpoint.js";
import { EmbeddedPolicy } from "../model/embedded-policy.js";
import { initEngine } from "../model/engine.js";
import { makeRewardFn } from "../rewards/rewards.js";
import { checkConfig } from "../rl/check.js";
import { generateExams } from "../task/exams.js";
import { SeedPurpose } from "../task/seeds.js";
import { writeFileAtomic } from "../util/atomic.js";
import { RlevError, UsageError } from "../util/errors.js";
import { createProgress, type ProgressReporter } from "../util/progress.js";
import type { RunHooks, RunStatus } from "./hooks.js";
import { acquireRunLock } from "./lock.js";
import { type LogRecord, MetricsLog } from "./metrics-log.js";
import { rlStep, valueBucketEdges } from "./rl-step.js";
import { FINAL_DIR, latestCheckpoint, recordRunConfig, saveStepCheckpoint } from "./run-dir.js";
import { EpochSchedule, learningRateAt } from "./schedule.js";
import { evalLogFields, stripEos } from "./sft.js";
import { maxPromptTokens, NonFiniteGuard } from "./task-setup.js";

export interface RlResult {
  status: RunStatus;
  /** Steps completed (the checkpointed step when interrupted). */
  step: number;
  outDir: string;
  finalCheckpoint?: string;
  /** Wall-clock seconds of this process's RL steps (excluding evaluations). */
  trainSeconds: number;
  /** Greedy held-out evaluation of the final policy on `train.evalItems` test questions. */
  final?: EvalMetrics;
}

/**
 * The RL loop (issue 4): for each step, n samples per prompt → exact-answer verification →
 * reward (`reward.kind`) → advantages (`rl.estimator`) → PPO epochs over mini-batches with the
 * clipped loss and a KL to the frozen warm-up policy (`rl`), AdamW with gradient clipping.
 * Every step is logged to metrics.jsonl under the spec's names; checkpoints every
 * `train.checkpointEvery` steps make the run resumable: a resumed run continues exactly as an
 * uninterrupted one would, because every random draw derives from (seed, step).
 */
export async function runRl(config: Config, outDir: string, hooks: RunHooks = {}): Promise<RlResult> {
  const tc = config.train;
  const log = hooks.log ?? (() => {});
  if (!tc.init)
    throw new UsageError(
      "train.init must name the warm-up checkpoint to start from (rlev sft writes one to <out>/final)",
    );
  for (const w of checkConfig(config.reward, config.rl)) log(`warning [${w.code}]: ${w.message}`);
  await mkdir(outDir, { recursive: true });
  const lock = await acquireRunLock(outDir);
  let policy: EmbeddedPolicy | null = null;
  let metricsLog: MetricsLog | null = null;
  let progress: ProgressReporter | null = null;
  try {
    await recordRunConfig(outDir, config);
    const initDigest = await checkpointDigest(tc.init);
    const generated = generateExams(config.task);
    const train = hooks.trainItems ? hooks.trainItems(generated.train) : generated.train;
    const test = generated.test;
    const options = {
      optimizer: config.optimizer,
      threads: config.engine.threads || undefined,
      fusedMultiplyAdd: config.engine.fusedMultiplyAdd,
    };
    const resume = await latestCheckpoint(outDir, log);
    let step = 0;
    if (resume) {
      if (resume.checkpoint.meta.initDigest !== initDigest)
        throw new UsageError(
          `${outDir} was started from a different warm-up checkpoint than ${tc.init} (its weights' sha256 differs); use another --out`,
        );
      // fromLoaded is synchronous and expects a running engine (a resumed process has none yet).
      await initEngine({ threads: options.threads, fusedMultiplyAdd: options.fusedMultiplyAdd });
      policy = EmbeddedPolicy.fromLoaded(resume.checkpoint, options);
      step = resume.step;
      log(`resuming ${outDir} from step ${step}`);
    } else {
      policy = await EmbeddedPolicy.fromCheckpoint(tc.init, options);
      // RL starts with fresh AdamW moments and freezes the warm-up as the KL reference.
      policy.resetOptimizer();
      policy.snapshotReference();
    }
    if (!policy.tokenizer) throw new UsageError(`the warm-up checkpoint ${tc.init} has no tokenizer.json`);
    const tokenizer = policy.tokenizer;
    const seqLen = maxPromptTokens(train, tokenizer) + tc.maxNewTokens;
    if (seqLen > policy.model.contextLength)
      throw new UsageError(
        `prompts of up to ${seqLen - tc.maxNewTokens} tokens plus train.maxNewTokens=${tc.maxNewTokens} exceed the model's context length ${policy.model.contextLength}`,
      );
    const reward = makeRewardFn(config.reward, train);
    const frozen = policy;
    const ctx = {
      config,
      policy,
      referenceLogprobs: policy.hasReference
        ? (b: Parameters<EmbeddedPolicy["logprobs"]>[0]) => frozen.referenceLogprobs(b)
        : null,
      codec: tokenizer,
      reward,
      seqLen,
      padId: tokenizer.padId,
      valueBucketEdges: valueBucketEdges(
        train.map((i) => i.value),
        tc.valueBuckets,
      ),
    };
    const schedule = new EpochSchedule(config.seed, SeedPurpose.rlBatch, train.length);
    const evalItems = test.slice(0, tc.evalItems);
    const evaluate = async (items: readonly Item[], atStep: number) => {
      const result = await evaluatePolicy(frozen, items, {
        codec: tokenizer,
        maxNewTokens: tc.maxNewTokens,
        batchSize: config.eval.batchSize,
        eosPrompts: config.eval.eosPrompts,
        valueBuckets: config.eval.valueBuckets,
        bootstrap: 0,
      });
      hooks.onEvaluation?.(atStep, result);
      return result;
    };
    const guard = new NonFiniteGuard(
      tc.maxNonFiniteSteps,
      Number(resume?.checkpoint.meta.nonFiniteStreak ?? 0),
    );
    const meta = () => ({ kind: "rl", seed: config.seed, initDigest, nonFiniteStreak: guard.streak });

    // A fresh run starts a fresh log: records of a run killed before its first checkpoint
    // (e.g. the step-0 evaluation) are rewritten, not duplicated.
    metricsLog = await MetricsLog.open(join(outDir, "metrics.jsonl"), resume ? step : -1);
    const append = async (record: LogRecord) => {
      await metricsLog!.append(record);
      hooks.onRecord?.(record);
    };
    if (step === 0 && tc.evalEvery > 0) {
      const { metrics } = await evaluate(evalItems, 0);
      await append({ step: 0, ...evalLogFields("eval", metrics) });
    }

    let trainSeconds = 0;
    let lastSaved = step;
    let finalEval: EvalMetrics | undefined;
    // Created once the starting step is known, so a resumed run estimates its ETA from its own pace.
    if (hooks.progress) progress = createProgress("rl", tc.steps, step);
    progress?.update(step, {});
    while (step < tc.steps) {
      if (hooks.signal?.aborted) break;
      step++;
      const items = schedule.batch(step - 1, tc.promptsPerStep).map((i) => train[i]);
      const lr = learningRateAt(step - 1, tc.lr, tc.warmupSteps);
      const outcome = await rlStep(ctx, items, step, lr);
      trainSeconds += outcome.metrics["timing_s/step"];
      const abort = guard.record(outcome.skippedUpdates > 0);
      const record: LogRecord = { step, ...outcome.metrics, "train/nonfinite_streak": guard.streak };
      if (tc.evalEvery > 0 && (step % tc.evalEvery === 0 || step === tc.steps)) {
        const { metrics } = await evaluate(evalItems, step);
        Object.assign(record, evalLogFields("eval", metrics));
        if (step === tc.steps) finalEval = metrics;
      }
      await append(record);
      if (outcome.skippedUpdates > 0)
        log(
          `step ${step}: ${outcome.skippedUpdates} update(s) skipped for a non-finite loss or gradient (${guard.streak} step(s) in a row)`,
        );
      if (abort)
        throw new RlevError(
          `aborting: the loss or gradient was not finite in ${guard.streak} consecutive steps (last at step ${step}); lower train.lr or raise rl.klCoef. Checkpoints up to this point are in ${join(outDir, "checkpoints")}`,
        );
      progress?.update(step, {
        score: outcome.metrics["critic/score/mean"].toFixed(3),
        len: outcome.metrics["response_length/mean"].toFixed(1),
        ...(record["eval/acc"] !== undefined ? { eval: Number(record["eval/acc"]).toFixed(3) } : {}),
      });
      if (step % tc.checkpointEvery === 0 || step === tc.steps) {
        await saveStepCheckpoint(policy, outDir, step, meta(), tc.keepCheckpoints);
        lastSaved = step;
      }
    }
    if (step < tc.steps) {
      if (lastSaved !== step) await saveStepCheckpoint(policy, outDir, step, meta(), tc.keepCheckpoints);
      log(`interrupted at step ${step}; checkpoint saved, rerun the same command to resume`);
      return { status: "interrupted", step, outDir, trainSeconds };
    }
    const finalCheckpoint = join(outDir, FINAL_DIR);
    await policy.save(finalCheckpoint, { optimizerState: false, meta: { ...meta(), step } });
    finalEval ??= (await evaluate(evalItems, step)).metrics;
    await writeFileAtomic(
      join(outDir, "summary.json"),
      `${JSON.stringify({ kind: "rl", steps: step, trainSeconds, final: stripEos(finalEval) }, null, 2)}\n`,
    );
    return { status: "completed", step, outDir, finalCheckpoint, trainSeconds, final: finalEval };
  } finally {
    progress?.stop();
    await metricsLog?.close();
    policy?.dispose();
    await lock.release();
  }
}
