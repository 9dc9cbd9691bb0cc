import { join } from "node:path";
import type { EvalConfig } from "../config/eval.js";
import type { Item } from "../data/item.js";
import { writeJsonl } from "../data/jsonl.js";
import type { Policy } from "../model/policy.js";
import { writeFileAtomic } from "../util/atomic.js";
import { type GradedResponse, sampleAndGrade, type TextCodec } from "./grade.js";
import { type EvalMetrics, summarizeEvaluation } from "./summary.js";

export interface EvaluateOptions
  extends Pick<EvalConfig, "maxNewTokens" | "batchSize" | "eosPrompts" | "valueBuckets" | "bootstrap"> {
  codec: TextCodec;
  /** Seed of the bootstrap (decoding is greedy). */
  seed?: number;
}

export interface EvaluationResult {
  rows: GradedResponse[];
  metrics: EvalMetrics;
}

/** Greedy evaluation of a policy on items: one response each, graded by exact answer, all metrics. */
export async function evaluatePolicy(
  policy: Policy,
  items: readonly Item[],
  opts: EvaluateOptions,
): Promise<EvaluationResult> {
  if (items.length === 0) throw new RangeError("nothing to evaluate: the item list is empty");
  const { rows, eosProbs } = await sampleAndGrade(policy, items, opts.codec, {
    maxNewTokens: opts.maxNewTokens,
    batchSize: opts.batchSize,
    temperature: 0,
    seed: 0,
  });
  const metrics = summarizeEvaluation(rows, eosProbs, {
    eosPrompts: opts.eosPrompts,
    valueBuckets: opts.valueBuckets,
    bootstrap: opts.bootstrap,
    seed: opts.seed ?? 0,
  });
  return { rows, metrics };
}

/** The graded responses' JSONL rows: (id, value, correct, length, difficulty, sample, worked) and more. */
export function responseRecord(row: GradedResponse): Record<string, unknown> {
  return {
    id: row.id,
    value: row.value,
    correct: row.correct,
    length: row.length,
    difficulty: row.difficulty,
    sample: row.sample,
    worked: row.worked,
    examId: row.examId,
    points: row.points,
    pred: row.pred,
    reference: row.reference,
    finished: row.finished,
  };
}

/** Writes `responses.jsonl` and `metrics.json` into a folder, each atomically. */
export async function writeEvaluation(
  outDir: string,
  result: EvaluationResult,
  extra: Record<string, unknown> = {},
): Promise<{ responses: string; metrics: string }> {
  const responses = join(outDir, "responses.jsonl");
  const metrics = join(outDir, "metrics.json");
  await writeJsonl(responses, result.rows.map(responseRecord));
  await writeFileAtomic(metrics, `${JSON.stringify({ ...extra, ...result.metrics }, null, 2)}\n`);
  return { responses, metrics };
}
