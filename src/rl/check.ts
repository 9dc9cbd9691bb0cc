import type { RewardConfig } from "../config/reward.js";
import type { RlConfig } from "../config/rl.js";
import { isSequenceLevel } from "./estimators.js";

/** A combination of settings that runs but probably does not do what its user wants. */
export interface ConfigWarning {
  code: string;
  message: string;
}

const VALUE_SURVIVES =
  "use drgrpo, grpo_batch_std or grpo_value (or rloo / reinforce_pp) so that the value reaches the gradient";

/**
 * Checks a reward and RL configuration for combinations that silently defeat the experiment
 * (docs/method.md#grpo-cancels-the-value and docs/task.md#how-the-task-was-designed); returns warnings, never throws.
 */
export function checkConfig(
  reward: Pick<RewardConfig, "kind" | "lengthCost" | "alpha">,
  rl: Pick<RlConfig, "estimator" | "klPlacement" | "klCoef" | "clipLow" | "clipHigh" | "entropyCoef">,
): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const valueWeighted =
    reward.kind === "rlev" ||
    reward.kind === "multiplicative" ||
    reward.kind === "shuffled" ||
    reward.kind === "shuffled-within";

  const uniformKind = reward.kind === "uniform" || reward.kind === "uniform-by-difficulty";
  if (rl.estimator === "grpo" && (valueWeighted || uniformKind)) {
    const what = uniformKind ? "the uniform scale s̄" : "s(x)";
    const same = uniformKind
      ? `${reward.kind} scaling then equals correctness`
      : `${reward.kind} then equals correctness`;
    if (reward.lengthCost === 0)
      warnings.push({
        code: "grpo-cancels-value",
        message: `reward.kind=${reward.kind} with rl.estimator=grpo: std-normalized GRPO divides ${what} out exactly (R = s·c with s constant in a group), so ${same}; ${VALUE_SURVIVES}`,
      });
    else
      warnings.push({
        code: "grpo-cancels-value",
        message: `reward.kind=${reward.kind} with rl.estimator=grpo and a length cost: GRPO is invariant to the group's scale, so the value survives only as a smaller length cost (λ/s(x)) per item, not as a larger reward; ${VALUE_SURVIVES}`,
      });
  }

  if (rl.estimator === "grpo_value" && reward.kind === "correctness")
    warnings.push({
      code: "grpo-value-without-value",
      message: "rl.estimator=grpo_value with reward.kind=correctness: s(x) = 1, so this is plain GRPO",
    });

  if (reward.kind !== "correctness" && reward.alpha === 0 && reward.kind !== "uniform")
    warnings.push({
      code: "alpha-zero",
      message: `reward.alpha=0 makes s(x) = 1 for every item: reward.kind=${reward.kind} equals correctness`,
    });

  if (reward.kind !== "correctness" && reward.kind !== "uniform") {
    const priced = [
      reward.lengthCost > 0 ? "a per-token length cost" : "",
      rl.klPlacement === "reward" && rl.klCoef > 0 ? "a per-token KL penalty in the reward" : "",
    ].filter(Boolean);
    if (priced.length > 0)
      warnings.push({
        code: "scale-confound",
        message: `reward.kind=${reward.kind} with ${priced.join(" and ")}: a larger mean reward alone changes how length is priced; compare against reward.kind=uniform (same mean scale) to separate value from scale`,
      });
  }

  if (rl.klPlacement === "reward" && rl.klCoef > 0 && isSequenceLevel(rl.estimator))
    warnings.push({
      code: "kl-in-sequence-reward",
      message: `rl.klPlacement=reward with rl.estimator=${rl.estimator}: the summed KL is subtracted from each sequence reward (verl's behaviour); REINFORCE++ places it per token, GRPO-style estimators usually keep it in the loss`,
    });

  if (rl.clipHigh < rl.clipLow)
    warnings.push({
      code: "clip-higher-inverted",
      message: `rl.clipHigh (${rl.clipHigh}) < rl.clipLow (${rl.clipLow}): clip-higher expects ε_high ≥ ε_low (e.g. 0.2 / 0.28)`,
    });

  if (rl.entropyCoef < 0)
    warnings.push({
      code: "entropy-penalty",
      message: `rl.entropyCoef=${rl.entropyCoef} is negative: it penalizes entropy instead of rewarding it`,
    });
  return warnings;
}
