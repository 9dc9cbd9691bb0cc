import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config/index.js";
import type { SftConfig } from "../config/sft.js";
import type { Item } from "../data/item.js";
import { sampleAndGrade } from "../eval/grade.js";
import { type EvalMetrics, summarizeEvaluation } from "../eval/summary.js";
import { EmbeddedPolicy } from "../model/embedded-policy.js";
import { initEngine } from "../model/engine.js";
import type { Tokenizer } from "../model/tokenizer.js";
import { rlevScale } from "../rewards/scale.js";
import { generateExams } from "../task/exams.js";
import { type SolutionMode, solutionLength } from "../task/format.js";
import { deriveSeed, SeedPurpose } from "../task/seeds.js";
import { writeFileAtomic } from "../util/atomic.js";
import { RlevError, UsageError } from "../util/errors.js";
import { createProgress, type ProgressReporter } from "../util/progress.js";
import { Rng } from "../util/rng.js";
import { packSequences } from "./batch.js";
import type { RunHooks, RunStatus } from "./hooks.js";
import { acquireRunLock } from "./lock.js";
import { type LogRecord, MetricsLog } from "./metrics-log.js";
import { FINAL_DIR, latestCheckpoint, recordRunConfig, saveStepCheckpoint } from "./run-dir.js";
import { EpochSchedule, learningRateAt } from "./schedule.js";
import { maxPromptTokens, NonFiniteGuard, supervisedExample, taskTokenizer } from "./task-setup.js";

export interface SftResult {
  status: RunStatus;
  /** Steps completed (the last checkpointed step when interrupted). */
  step: number;
  outDir: string;
  /** The final policy's checkpoint (absent when interrupted). */
  finalCheckpoint?: string;
  /** Wall-clock seconds of this process's training steps (excluding evaluations). */
  trainSeconds: number;
  /** Sampled (temperature 1) and greedy evaluation of the final policy on the whole test split. */
  sampled?: EvalMetrics;
  greedy?: EvalMetrics;
}

/**
 * Identifies what a warm-up's weights depend on (seed, task, model, optimizer and the SFT settings
 * that shape training), so a stored warm-up checkpoint can be checked against a configuration
 * before it is reused; stored in the checkpoint's meta as `configDigest`.
 */
export function warmupConfigDigest(config: Config): string {
  const { evalEvery: _e, evalItems: _i, checkpointEvery: _c, ...sft } = config.sft;
  const relevant = {
    seed: config.seed,
    task: config.task,
    model: config.model,
    optimizer: config.optimizer,
    sft,
  };
  return createHash("sha256").update(JSON.stringify(relevant)).digest("hex");
}

/** Sampled or greedy evaluation on held-out items, with the per-difficulty breakdown. */
async function quickEval(
  policy: EmbeddedPolicy,
  items: readonly Item[],
  tokenizer: Tokenizer,
  cfg: Config,
  temperature: number,
  seed: number,
): Promise<EvalMetrics> {
  const { rows, eosProbs } = await sampleAndGrade(policy, items, tokenizer, {
    maxNewTokens: cfg.eval.maxNewTokens,
    batchSize: cfg.eval.batchSize,
    temperature,
    seed,
  });
  return summarizeEvaluation(rows, eosProbs, {
    eosPrompts: cfg.eval.eosPrompts,
    valueBuckets: cfg.eval.valueBuckets,
    bootstrap: 0,
    seed,
  });
}

/** The flat log fields of an evaluation (prefix "eval/" or "sampled/"). */
export function evalLogFields(prefix: string, m: EvalMetrics): Record<string, number> {
  const out: Record<string, number> = {
    [`${prefix}/acc`]: m.acc,
    [`${prefix}/h_acc`]: m.hAcc,
    [`${prefix}/response_length`]: m.meanLength,
    [`${prefix}/value_density`]: m.valueDensity,
    [`${prefix}/worked_share`]: m.workedShare,
    [`${prefix}/truncated_share`]: m.truncatedShare,
  };
  for (const d of m.byDifficulty) {
    out[`${prefix}/acc/d${d.difficulty}`] = d.acc;
    out[`${prefix}/worked_share/d${d.difficulty}`] = d.workedShare;
  }
  return out;
}

/**
 * The share of worked solutions for a question of `steps` chain steps (and value `value`): the
 * value-conditioned `workedRule` when set (1 or 0), else `workedShareBySteps`, else `workedShare`.
 */
export function workedShareFor(sc: SftConfig, steps: number | undefined, value?: number): number {
  const rule = sc.workedRule;
  if (rule && steps !== undefined && value !== undefined) {
    const stake = rlevScale(value, rule.alpha, rule.clip) * (1 - rule.directAcc);
    const price = rule.lengthCost * (solutionLength(steps, "worked") - solutionLength(steps, "direct"));
    return stake > price ? 1 : 0;
  }
  return (steps !== undefined ? sc.workedShareBySteps?.[String(steps)] : undefined) ?? sc.workedShare;
}

/**
 * The warm-up: supervised training on generated solutions of the train exams, each written with
 * worked steps (share `sft.workedShare`, or `sft.workedShareBySteps` for its chain length) or as a
 * direct answer, so the starting policy has both
 * habits. Batches and solution modes derive from (seed, step); a run resumes from its newest
 * checkpoint in `outDir` and then matches an uninterrupted run.
 */
export async function runSft(config: Config, outDir: string, hooks: RunHooks = {}): Promise<SftResult> {
  const sc = config.sft;
  const log = hooks.log ?? (() => {});
  await mkdir(outDir, { recursive: true });
  const lock = await acquireRunLock(outDir);
  let policy: EmbeddedPolicy | null = null;
  let metricsLog: MetricsLog | null = null;
  let progress: ProgressReporter | null = null;
  try {
    await recordRunConfig(outDir, config);
    const { train, test } = generateExams(config.task);
    const resume = await latestCheckpoint(outDir, log);
    let step = 0;
    let tokenizer: Tokenizer;
    const optimizer = config.optimizer;
    if (resume) {
      // fromLoaded is synchronous and expects a running engine (a resumed process has none yet).
      await initEngine({
        threads: config.engine.threads || undefined,
        fusedMultiplyAdd: config.engine.fusedMultiplyAdd,
      });
      policy = EmbeddedPolicy.fromLoaded(resume.checkpoint, {
        optimizer,
        threads: config.engine.threads || undefined,
        fusedMultiplyAdd: config.engine.fusedMultiplyAdd,
      });
      step = resume.step;
      log(`resuming ${outDir} from step ${step}`);
    } else if (sc.init) {
      policy = await EmbeddedPolicy.fromCheckpoint(sc.init, {
        optimizer,
        threads: config.engine.threads || undefined,
        fusedMultiplyAdd: config.engine.fusedMultiplyAdd,
      });
      policy.resetOptimizer();
    } else {
      tokenizer = taskTokenizer();
      // The output layer covers exactly the task's tokens, so every sampled id decodes.
      policy = await EmbeddedPolicy.create({ ...config.model, vocabSize: tokenizer.vocabSize }, config.seed, {
        optimizer,
        tokenizer,
        threads: config.engine.threads || undefined,
        fusedMultiplyAdd: config.engine.fusedMultiplyAdd,
      });
    }
    if (!policy.tokenizer) throw new UsageError("the starting checkpoint has no tokenizer.json");
    tokenizer = policy.tokenizer;
    const guard = new NonFiniteGuard(
      config.train.maxNonFiniteSteps,
      Number((resume?.checkpoint.meta.nonFiniteStreak as number | undefined) ?? 0),
    );

    const seqLen =
      Math.max(maxPromptTokens(train, tokenizer), maxPromptTokens(test, tokenizer)) +
      solutionLength(config.task.maxSteps, "worked");
    if (seqLen > policy.model.contextLength)
      throw new UsageError(
        `the longest example has ${seqLen} tokens but model.contextLength is ${policy.model.contextLength}`,
      );
    const schedule = new EpochSchedule(config.seed, SeedPurpose.sftBatch, train.length);
    const evalItems = test.slice(0, sc.evalItems);
    // A fresh run starts a fresh log: records of a run killed before its first checkpoint
    // (e.g. the step-0 evaluation) are rewritten, not duplicated.
    metricsLog = await MetricsLog.open(join(outDir, "metrics.jsonl"), resume ? step : -1);
    const append = async (record: LogRecord) => {
      await metricsLog!.append(record);
      hooks.onRecord?.(record);
    };
    const configDigest = warmupConfigDigest(config);
    const meta = () => ({ kind: "sft", seed: config.seed, configDigest, nonFiniteStreak: guard.streak });

    let trainSeconds = 0;
    // Created once the starting step is known, so a resumed run estimates its ETA from its own pace.
    if (hooks.progress) progress = createProgress("sft", sc.steps, step);
    progress?.update(step, {});
    let last = step;
    while (step < sc.steps) {
      if (hooks.signal?.aborted) break;
      step++;
      const t0 = performance.now();
      const picks = schedule.batch(step - 1, sc.batchSize);
      const modes = picks.map((idx, i) =>
        new Rng(deriveSeed(config.seed, SeedPurpose.sftMode, step, i)).next() <
        workedShareFor(sc, train[idx].difficulty, train[idx].value)
          ? "worked"
          : "direct",
      );
      const examples = picks.map((idx, i) =>
        supervisedExample(train[idx], modes[i] as SolutionMode, tokenizer),
      );
      const packed = packSequences(
        examples.map((e) => e.prompt),
        examples.map((e) => e.response),
        seqLen,
        tokenizer.padId,
      );
      const lr = learningRateAt(step - 1, sc.lr, sc.warmupSteps);
      const stats = await policy.supervisedStep({ ...packed, lossMask: packed.responseMask }, lr);
      const seconds = (performance.now() - t0) / 1000;
      trainSeconds += seconds;
      const abort = guard.record(stats.skipped);
      const record: LogRecord = {
        step,
        "sft/loss": stats.loss,
        "sft/grad_norm": stats.grad_norm,
        "sft/lr": lr,
        "sft/worked_share": modes.filter((m) => m === "worked").length / modes.length,
        "train/skipped_updates": stats.skipped ? 1 : 0,
        "timing_s/step": seconds,
        "perf/throughput": packed.responseLengths.reduce((a, b) => a + b, 0) / seconds,
      };
      if (sc.evalEvery > 0 && (step % sc.evalEvery === 0 || step === sc.steps)) {
        const m = await quickEval(
          policy,
          evalItems,
          tokenizer,
          config,
          1,
          deriveSeed(config.seed, SeedPurpose.evalSample, step),
        );
        Object.assign(record, evalLogFields("sampled", m));
      }
      await append(record);
      if (stats.skipped)
        log(`step ${step}: non-finite loss or gradient, update skipped (${guard.streak} in a row)`);
      if (abort)
        throw new RlevError(
          `aborting: the loss or gradient was not finite in ${guard.streak} consecutive steps (last at step ${step}); lower sft.lr or check the data. Checkpoints up to this point are in ${join(outDir, "checkpoints")}`,
        );
      progress?.update(step, {
        loss: stats.loss.toFixed(3),
        ...(record["sampled/acc"] !== undefined ? { acc: Number(record["sampled/acc"]).toFixed(3) } : {}),
      });
      if (step % sc.checkpointEvery === 0 || step === sc.steps) {
        await saveStepCheckpoint(policy, outDir, step, meta(), config.train.keepCheckpoints);
        last = step;
      }
    }
    if (step < sc.steps) {
      if (last !== step) await saveStepCheckpoint(policy, outDir, step, meta(), config.train.keepCheckpoints);
      log(`interrupted at step ${step}; checkpoint saved, rerun the same command to resume`);
      return { status: "interrupted", step, outDir, trainSeconds };
    }

    const finalCheckpoint = join(outDir, FINAL_DIR);
    await policy.save(finalCheckpoint, { optimizerState: false, meta: { ...meta(), step } });
    const sampled = await quickEval(
      policy,
      test,
      tokenizer,
      config,
      1,
      deriveSeed(config.seed, SeedPurpose.evalSample, 0),
    );
    const greedy = await quickEval(policy, test, tokenizer, config, 0, 0);
    const result: SftResult = {
      status: "completed",
      step,
      outDir,
      finalCheckpoint,
      trainSeconds,
      sampled,
      greedy,
    };
    await writeFileAtomic(
      join(outDir, "summary.json"),
      `${JSON.stringify({ kind: "sft", steps: step, trainSeconds, sampled: stripEos(sampled), greedy: stripEos(greedy) }, null, 2)}\n`,
    );
    return result;
  } finally {
    progress?.stop();
    await metricsLog?.close();
    policy?.dispose();
    await lock.release();
  }
}

/** Evaluation metrics without the (long) EOS trajectories, for summaries. */
export function stripEos(m: EvalMetrics): Omit<EvalMetrics, "eos"> {
  const { eos: _eos, ...rest } = m;
  return rest;
}
