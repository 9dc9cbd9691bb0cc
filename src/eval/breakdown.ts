import type { GradedResponse } from "./grade.js";

/** Mean pi(EOS) at each response position over a set of prompts, with how many responses reach it. */
export interface EosTrajectory {
  prompts: number;
  meanValue: number;
  /** meanEosProb[t]: mean over responses with more than t tokens of pi(EOS) at position t. */
  meanEosProb: number[];
  /** count[t]: responses with more than t tokens. */
  count: number[];
}

function trajectory(
  indices: readonly number[],
  rows: readonly GradedResponse[],
  eosProbs: readonly Float32Array[],
): EosTrajectory {
  const sums: number[] = [];
  const count: number[] = [];
  let valueSum = 0;
  for (const i of indices) {
    valueSum += rows[i].value;
    const probs = eosProbs[i];
    for (let t = 0; t < probs.length; t++) {
      sums[t] = (sums[t] ?? 0) + probs[t];
      count[t] = (count[t] ?? 0) + 1;
    }
  }
  return {
    prompts: indices.length,
    meanValue: indices.length ? valueSum / indices.length : 0,
    meanEosProb: sums.map((s, t) => s / count[t]),
    count,
  };
}

/** Rows ordered by value, highest first (ties by id, so the order is reproducible). */
function byValueDesc(rows: readonly GradedResponse[]): number[] {
  return rows
    .map((_, i) => i)
    .sort(
      (a, b) =>
        rows[b].value - rows[a].value || (rows[a].id < rows[b].id ? -1 : rows[a].id > rows[b].id ? 1 : 0),
    );
}

/**
 * EOS trajectories (docs/method.md#metrics): the probability of end-of-sequence at each position, averaged over
 * the `k` highest- and the `k` lowest-value prompts (fewer when there are fewer than 2k prompts,
 * so the two sets never overlap).
 */
export function eosTrajectories(
  rows: readonly GradedResponse[],
  eosProbs: readonly Float32Array[],
  k: number,
): { high: EosTrajectory; low: EosTrajectory } {
  const order = byValueDesc(rows);
  const take = Math.min(k, Math.floor(order.length / 2));
  return {
    high: trajectory(order.slice(0, take), rows, eosProbs),
    low: trajectory(order.slice(order.length - take), rows, eosProbs),
  };
}

export interface ValueBucketSummary {
  difficulty: number;
  /** 0 = lowest-value bucket of this difficulty. */
  bucket: number;
  n: number;
  valueMin: number;
  valueMax: number;
  meanValue: number;
  acc: number;
  meanLength: number;
  /** Share of responses that showed worked steps. */
  workedShare: number;
}

/**
 * Length and worked-answer share by value bucket *within* each difficulty: the comparison that
 * separates value-sensitive allocation from difficulty (docs/task.md#how-the-task-was-designed, lesson 6). Each
 * difficulty's rows are sorted by value and cut into `buckets` nearly equal quantile groups.
 */
export function valueBucketsByDifficulty(
  rows: readonly GradedResponse[],
  buckets: number,
): ValueBucketSummary[] {
  const byDifficulty = new Map<number, GradedResponse[]>();
  for (const row of rows) {
    const list = byDifficulty.get(row.difficulty) ?? [];
    list.push(row);
    byDifficulty.set(row.difficulty, list);
  }
  const out: ValueBucketSummary[] = [];
  for (const difficulty of [...byDifficulty.keys()].sort((a, b) => a - b)) {
    const list = byDifficulty.get(difficulty)!;
    const order = byValueDesc(list).reverse();
    const count = Math.min(buckets, list.length);
    for (let b = 0; b < count; b++) {
      const members = order
        .slice(Math.floor((b * order.length) / count), Math.floor(((b + 1) * order.length) / count))
        .map((i) => list[i]);
      const mean = (f: (r: GradedResponse) => number) =>
        members.reduce((s, r) => s + f(r), 0) / members.length;
      out.push({
        difficulty,
        bucket: b,
        n: members.length,
        valueMin: members[0].value,
        valueMax: members[members.length - 1].value,
        meanValue: mean((r) => r.value),
        acc: mean((r) => (r.correct ? 1 : 0)),
        meanLength: mean((r) => r.length),
        workedShare: mean((r) => (r.worked ? 1 : 0)),
      });
    }
  }
  return out;
}
