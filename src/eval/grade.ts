import type { Item } from "../data/item.js";
import type { Policy, SampleResult } from "../model/policy.js";
import { verifyResponse } from "../task/verify.js";

/** What evaluation and training need from a tokenizer: text <-> token ids and the end token. */
export interface TextCodec {
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
  eosId: number;
}

/** One graded response (the rows of `responses.jsonl`). */
export interface GradedResponse {
  id: string;
  examId: string;
  value: number;
  points: number;
  difficulty: number;
  correct: boolean;
  /** Generated tokens, end-of-sequence included. */
  length: number;
  /** The response text (end-of-sequence excluded). */
  sample: string;
  worked: boolean;
  pred: string;
  reference: string;
  finished: boolean;
}

export interface GradeOutcome {
  rows: GradedResponse[];
  /** pi(EOS | prefix) at each generated position, per row (for EOS trajectories). */
  eosProbs: Float32Array[];
}

/** Grades one sampled response of `item` by exact answer. */
export function gradeResponse(
  item: Item,
  tokens: readonly number[],
  finished: boolean,
  codec: TextCodec,
): GradedResponse {
  const body = finished && tokens.at(-1) === codec.eosId ? tokens.slice(0, -1) : tokens;
  const sample = codec.decode(body);
  const reference = Array.isArray(item.reference) ? item.reference.join(",") : item.reference;
  const verdict = verifyResponse(reference, sample, finished);
  return {
    id: item.id,
    examId: item.examId,
    value: item.value,
    points: item.points,
    difficulty: item.difficulty ?? 0,
    correct: verdict.correct,
    length: tokens.length,
    sample,
    worked: verdict.worked,
    pred: verdict.pred,
    reference,
    finished,
  };
}

/**
 * Samples one response per item in fixed-size batches (the last batch is padded with repeats of
 * its first prompt, so every decode runs at one shape) and grades them.
 */
export async function sampleAndGrade(
  policy: Policy,
  items: readonly Item[],
  codec: TextCodec,
  opts: { maxNewTokens: number; batchSize: number; temperature: number; seed: number },
): Promise<GradeOutcome> {
  const rows: GradedResponse[] = [];
  const eosProbs: Float32Array[] = [];
  const batchSize = Math.min(opts.batchSize, items.length);
  for (let start = 0; start < items.length; start += batchSize) {
    const chunk = items.slice(start, start + batchSize);
    const prompts = chunk.map((item) => codec.encode(item.prompt));
    while (prompts.length < batchSize) prompts.push(prompts[0]);
    const result: SampleResult = await policy.sample(prompts, {
      maxNewTokens: opts.maxNewTokens,
      temperature: opts.temperature,
      topP: 1,
      seed: opts.seed + start,
    });
    chunk.forEach((item, i) => {
      rows.push(gradeResponse(item, result.tokens[i], result.finished[i], codec));
      eosProbs.push(result.eosProbs[i]);
    });
  }
  return { rows, eosProbs };
}
