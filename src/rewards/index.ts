// Reward variants of docs/method.md#rewards.
export {
  correctnessReward,
  lengthPenalty,
  makeRewardContext,
  makeRewardFn,
  multiplicativeReward,
  type RewardContext,
  type RewardFn,
  type RewardInput,
  type RewardKindFn,
  rewards,
  rlevReward,
  type Scored,
  uniformReward,
} from "./rewards.js";
export { meanScale, meanScaleByDifficulty, multiplicativeScale, rlevScale } from "./scale.js";
export { shuffleValues, shuffleValuesWithin, type ValuedItem } from "./shuffle.js";
