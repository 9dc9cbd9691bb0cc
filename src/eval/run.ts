import type { Config } from "../config/index.js";
import { EmbeddedPolicy } from "../model/embedded-policy.js";
import { generateExams } from "../task/exams.js";
import { UsageError } from "../util/errors.js";
import { type EvaluationResult, evaluatePolicy, writeEvaluation } from "./evaluate.js";

export interface EvalRunResult extends EvaluationResult {
  checkpoint: string;
  files: { responses: string; metrics: string };
}

/**
 * Evaluates a checkpoint greedily on the held-out exams of `task` (or `eval.split`), writing
 * `responses.jsonl` (one graded response per question) and `metrics.json` into `outDir`.
 */
export async function runEval(config: Config, checkpoint: string, outDir: string): Promise<EvalRunResult> {
  const ec = config.eval;
  const splits = generateExams(config.task);
  const items = ec.limit === null ? splits[ec.split] : splits[ec.split].slice(0, ec.limit);
  const policy = await EmbeddedPolicy.fromCheckpoint(checkpoint, {
    threads: config.engine.threads || undefined,
    fusedMultiplyAdd: config.engine.fusedMultiplyAdd,
  });
  try {
    if (!policy.tokenizer) throw new UsageError(`${checkpoint}: the checkpoint has no tokenizer.json`);
    const result = await evaluatePolicy(policy, items, {
      codec: policy.tokenizer,
      maxNewTokens: ec.maxNewTokens,
      batchSize: ec.batchSize,
      eosPrompts: ec.eosPrompts,
      valueBuckets: ec.valueBuckets,
      bootstrap: ec.bootstrap,
      seed: config.seed,
    });
    const files = await writeEvaluation(outDir, result, {
      checkpoint,
      split: ec.split,
      decoding: "greedy",
      maxNewTokens: ec.maxNewTokens,
      task: config.task,
    });
    return { ...result, checkpoint, files };
  } finally {
    policy.dispose();
  }
}
