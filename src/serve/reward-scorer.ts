import type { RewardConfig } from "../config/reward.js";
import { type GradingOptions, gradingInput, itemBlankPoints } from "../eval/grading.js";
import { makeRewardFn, type RewardFn } from "../rewards/rewards.js";
import type { ValuedItem } from "../rewards/shuffle.js";
import { UsageError } from "../util/errors.js";
import type { Verdict, VerifyInput } from "../verify/types.js";
import { verifyAnswer } from "../verify/verifiers.js";
import { HttpError } from "./http.js";
import type { SampleScore, SampleScorer, ScoreInput } from "./reward-server.js";

/**
 * The reward server's scorer: the rule-based verifiers in-process (the fast path: bounded work
 * per answer, see verify/limits.ts), then the configured reward variant (docs/method.md#baselines-and-ablations). An optional
 * guard — a pool with per-item wall-clock limits — takes the answers the fast path should not
 * risk (very long responses), so that one hostile sample cannot stall the event loop.
 */
export interface GuardVerifier {
  /** Verifies under a wall-clock limit; a timeout comes back as reason "timeout". */
  verify(inputs: readonly VerifyInput[], signal?: AbortSignal): Promise<Verdict[]>;
}

export interface RewardScorerOptions {
  reward: RewardConfig;
  /** Train items ({id, value, difficulty}) for the uniform scales and the value shuffles. */
  train?: readonly ValuedItem[];
  /** Multi-select half credit (config reward.partialCredit); `grading.multiSelect` wins when given. */
  partialCredit?: boolean;
  /** The grading options of `rlev grade` (eval/grading.ts builds every verifier input). */
  grading?: GradingOptions;
  guard?: GuardVerifier;
  /** Responses longer than this (characters) go to the guard when there is one. */
  guardAboveChars?: number;
}

/** Whether the reward kind needs each sample's value. */
export function rewardNeedsValue(kind: RewardConfig["kind"]): boolean {
  return kind !== "correctness" && kind !== "uniform" && kind !== "uniform-by-difficulty";
}

export function makeRewardScorer(opts: RewardScorerOptions): SampleScorer & { rewardFn: RewardFn } {
  if (opts.reward.lengthCost > 0)
    throw new UsageError(
      "reward.lengthCost is per token, and OpenRLHF's reward request carries no token counts: apply the length cost in the trainer",
    );
  let rewardFn: RewardFn;
  try {
    rewardFn = makeRewardFn(opts.reward, opts.train);
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (give the train items with --data)`);
  }
  const guardAbove = opts.guardAboveChars ?? 20_000;
  const grading: GradingOptions = {
    ...opts.grading,
    multiSelect: opts.grading?.multiSelect ?? (opts.partialCredit ? "half" : "strict"),
  };
  const inputOf = ({ response, label }: ScoreInput): VerifyInput =>
    gradingInput(
      {
        reference: label.reference,
        answerType: label.answerType,
        blankPoints: itemBlankPoints(label.item?.meta),
      },
      response,
      grading,
    );
  return {
    rewardFn,
    async score(batch: readonly ScoreInput[], signal: AbortSignal): Promise<SampleScore[]> {
      const verdicts: Verdict[] = new Array(batch.length);
      const guarded: number[] = [];
      for (let i = 0; i < batch.length; i++) {
        if (opts.guard && batch[i].response.length > guardAbove) {
          guarded.push(i);
          continue;
        }
        verdicts[i] = verifyAnswer(inputOf(batch[i]));
      }
      if (guarded.length > 0 && opts.guard) {
        const out = await opts.guard.verify(
          guarded.map((i) => inputOf(batch[i])),
          signal,
        );
        guarded.forEach((i, j) => {
          verdicts[i] = out[j];
        });
      }
      return batch.map(({ label }, i) => {
        const v = verdicts[i];
        const value = label.value ?? 0;
        let scored: ReturnType<RewardFn>;
        try {
          scored = rewardFn({
            itemId: label.id ?? "",
            sample: 0,
            value,
            score: v.score,
            length: 0,
            difficulty: label.difficulty,
          });
        } catch (err) {
          // A label the configured reward cannot use (e.g. an id outside the shuffled train set).
          throw new HttpError(400, `labels[${i}]: ${(err as Error).message}`);
        }
        return {
          reward: scored.reward,
          correct: v.correct,
          score: v.score,
          value,
          scale: scored.scale,
          pred: v.pred,
          timedOut: v.reason === "timeout",
        };
      });
    },
  };
}
