import type { RewardConfig } from "../config/reward.js";
import type { Item } from "../data/item.js";
import { hAcc } from "../metrics/core.js";
import { seedEstimate } from "../report/stats.js";
import type { Estimate, MetricColumn, ResultRow, ResultsTable } from "../report/types.js";
import { meanScale, rlevScale } from "../rewards/scale.js";
import { chainMeta } from "../task/exams.js";
import { solutionLength } from "../task/format.js";
import type { JobRecord } from "./record.js";

/**
 * Where can the value change what the best policy does? On the embedded task a response either
 * works a k-step chain out (2k + 4 tokens, exact once learned) or answers directly (3 tokens, a
 * guess). With reward `s·correct − λ·length` the two earn, in expectation,
 *
 *   worked: s·a_w − λ·L_w(k)        direct: s·a_d − λ·L_d
 *
 * so working pays iff s > s*(k) = λ·(L_w(k) − L_d) / (a_w − a_d): the break-even scale. Correctness
 * has s = 1, uniform scaling s̄ for every item, RLEV the item's own s(x). The value can only matter
 * for items whose s(x) and s̄ fall on opposite sides of s*(k); everywhere else RLEV and its
 * matched-scale control have the same best action.
 */
export function breakEvenScale(
  steps: number,
  lengthCost: number,
  workedAcc: number,
  directAcc: number,
): number {
  if (!(workedAcc > directAcc))
    throw new RangeError(`a worked answer must beat a guess (worked ${workedAcc}, direct ${directAcc})`);
  return (
    (lengthCost * (solutionLength(steps, "worked") - solutionLength(steps, "direct"))) /
    (workedAcc - directAcc)
  );
}

export interface BreakEvenRow {
  steps: number;
  items: number;
  /** s*(k). */
  breakEven: number;
  /** Median s(x) of the items with k steps. */
  medianScale: number;
  /** Mean s(x) of the items with k steps: the uniform-by-difficulty control's scale s̄(k). */
  difficultyScale: number;
  /** Shares of these items whose best action is "worked" under each reward (an indifferent item counts ½). */
  bestWorked: { correctness: number; uniform: number; uniformByDifficulty: number; rlev: number };
  /** Share of these items where RLEV's best action differs from uniform scaling's. */
  valueDecisive: number;
  /** Mean |expected-reward gap between the two actions| under RLEV on the value-decisive items. */
  decisiveStake: number;
  /**
   * Share of these items where RLEV's best action differs from uniform-by-difficulty's: the questions
   * whose own value (not their difficulty's average) decides, and the mean stake on them.
   */
  valueDecisiveWithin: number;
  withinStake: number;
  /** Expected H-Acc of these items if every answer took each reward's best action. */
  bestHAcc: { correctness: number; uniform: number; uniformByDifficulty: number; rlev: number };
}

export interface BreakEvenAnalysis {
  lengthCost: number;
  uniformScale: number;
  workedAcc: number;
  directAcc: number;
  rows: BreakEvenRow[];
  /** All difficulties together (item-weighted). */
  all: Omit<BreakEvenRow, "steps" | "breakEven" | "medianScale" | "difficultyScale">;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The break-even analysis over a train set of chain items. `workedAcc` = 1 (a learned worked answer
 * is exact: 100% in every always-worked run of the grid) and `directAcc` = 1/modulus (a guess
 * among the residues) unless given.
 */
export function breakEvenByDifficulty(
  items: readonly Item[],
  reward: Pick<RewardConfig, "alpha" | "clip" | "lengthCost" | "uniformScale">,
  opts: { workedAcc?: number; directAcc?: number } = {},
): BreakEvenAnalysis {
  if (items.length === 0) throw new RangeError("the break-even analysis needs train items");
  const metas = items.map(chainMeta);
  const workedAcc = opts.workedAcc ?? 1;
  const directAcc = opts.directAcc ?? 1 / metas[0].modulus;
  const uniformScale =
    reward.uniformScale ??
    meanScale(
      items.map((i) => i.value),
      reward,
    );
  const bySteps = new Map<number, { scales: number[]; values: number[] }>();
  items.forEach((item, i) => {
    const s = rlevScale(item.value, reward.alpha, reward.clip);
    const group = bySteps.get(metas[i].steps) ?? { scales: [], values: [] };
    group.scales.push(s);
    group.values.push(item.value);
    bySteps.set(metas[i].steps, group);
  });
  // Expected correctness of an answer that works the chain with probability w.
  const expectedScore = (w: number) => w * workedAcc + (1 - w) * directAcc;
  const allValues: number[] = [];
  const allScores = {
    correctness: [] as number[],
    uniform: [] as number[],
    uniformByDifficulty: [] as number[],
    rlev: [] as number[],
  };
  let decisiveAll = 0;
  let stakeAll = 0;
  let withinAll = 0;
  let withinStakeAll = 0;
  const bestAll = { correctness: 0, uniform: 0, uniformByDifficulty: 0, rlev: 0 };
  const rows = [...bySteps.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([steps, { scales, values }]): BreakEvenRow => {
      const sStar = breakEvenScale(steps, reward.lengthCost, workedAcc, directAcc);
      // 1: working pays, 0: guessing pays, ½: indifferent (s on the break-even point itself).
      const works = (s: number) =>
        Math.abs(s - sStar) <= 1e-9 * Math.max(1, sStar) ? 0.5 : s > sStar ? 1 : 0;
      const n = scales.length;
      const rlevWorked = scales.reduce((sum, s) => sum + works(s), 0);
      const decisive = scales.filter((s) => works(s) !== works(uniformScale));
      // Expected gain of the better action over the other under RLEV: |s − s*|·(a_w − a_d).
      const stake = decisive.reduce((sum, s) => sum + Math.abs(s - sStar) * (workedAcc - directAcc), 0);
      const kScale = scales.reduce((a, b) => a + b, 0) / n;
      const within = scales.filter((s) => works(s) !== works(kScale));
      const withinStake = within.reduce((sum, s) => sum + Math.abs(s - sStar) * (workedAcc - directAcc), 0);
      bestAll.correctness += works(1) * n;
      bestAll.uniform += works(uniformScale) * n;
      bestAll.uniformByDifficulty += works(kScale) * n;
      bestAll.rlev += rlevWorked;
      decisiveAll += decisive.length;
      stakeAll += stake;
      withinAll += within.length;
      withinStakeAll += withinStake;
      const scores = {
        correctness: scales.map(() => expectedScore(works(1))),
        uniform: scales.map(() => expectedScore(works(uniformScale))),
        uniformByDifficulty: scales.map(() => expectedScore(works(kScale))),
        rlev: scales.map((s) => expectedScore(works(s))),
      };
      allValues.push(...values);
      for (const k of ["correctness", "uniform", "uniformByDifficulty", "rlev"] as const)
        allScores[k].push(...scores[k]);
      return {
        steps,
        items: n,
        breakEven: sStar,
        medianScale: median(scales),
        difficultyScale: kScale,
        bestWorked: {
          correctness: works(1),
          uniform: works(uniformScale),
          uniformByDifficulty: works(kScale),
          rlev: rlevWorked / n,
        },
        valueDecisive: decisive.length / n,
        decisiveStake: decisive.length ? stake / decisive.length : 0,
        valueDecisiveWithin: within.length / n,
        withinStake: within.length ? withinStake / within.length : 0,
        bestHAcc: {
          correctness: hAcc(values, scores.correctness),
          uniform: hAcc(values, scores.uniform),
          uniformByDifficulty: hAcc(values, scores.uniformByDifficulty),
          rlev: hAcc(values, scores.rlev),
        },
      };
    });
  const total = items.length;
  return {
    lengthCost: reward.lengthCost,
    uniformScale,
    workedAcc,
    directAcc,
    rows,
    all: {
      items: total,
      bestWorked: {
        correctness: bestAll.correctness / total,
        uniform: bestAll.uniform / total,
        uniformByDifficulty: bestAll.uniformByDifficulty / total,
        rlev: bestAll.rlev / total,
      },
      valueDecisive: decisiveAll / total,
      decisiveStake: decisiveAll ? stakeAll / decisiveAll : 0,
      valueDecisiveWithin: withinAll / total,
      withinStake: withinAll ? withinStakeAll / withinAll : 0,
      bestHAcc: {
        correctness: hAcc(allValues, allScores.correctness),
        uniform: hAcc(allValues, allScores.uniform),
        uniformByDifficulty: hAcc(allValues, allScores.uniformByDifficulty),
        rlev: hAcc(allValues, allScores.rlev),
      },
    },
  };
}

/** One measured arm: its label and its finished runs (worked share by difficulty is read from them). */
export interface MeasuredArm {
  key: "correctness" | "uniform" | "rlev";
  label: string;
  records: readonly JobRecord[];
}

const exact = (mean: number): Estimate => ({ mean });

const armName = (k: MeasuredArm["key"]) => (k === "uniform" ? "uniform s̄" : k === "rlev" ? "RLEV" : k);

const bestHAccCells = (h: BreakEvenRow["bestHAcc"]) =>
  Object.fromEntries(
    (["correctness", "uniform", "rlev"] as const).map((k) => [`bestHAcc:${k}`, exact(h[k])]),
  );

function measuredWorked(records: readonly JobRecord[], steps: number | "all"): Estimate | null {
  const xs = records
    .map((r) =>
      steps === "all"
        ? r.final.workedShare
        : r.final.byDifficulty.find((d) => d.difficulty === steps)?.workedShare,
    )
    .filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (!xs.length) return null;
  const e = seedEstimate(xs);
  return e.lo === undefined || e.hi === undefined
    ? e
    : { ...e, lo: Math.max(0, e.lo), hi: Math.min(1, e.hi) };
}

/**
 * The report's table: per difficulty, s*(k), the items' median s(x), the best action's worked
 * share under each reward (computed), the value-decisive share, and the worked share each arm
 * actually learned (measured: mean over seeds, 95% CI). One group per length cost.
 */
export function breakEvenTable(
  groups: ReadonlyArray<{ title: string; analysis: BreakEvenAnalysis; arms: readonly MeasuredArm[] }>,
): ResultsTable {
  const armKeys = ["correctness", "uniform", "rlev"] as const;
  const columns: MetricColumn[] = [
    {
      key: "breakEven",
      label: "s*(k)",
      format: "number",
      digits: 2,
      description: "break-even scale: working pays iff s > s*",
    },
    { key: "medianScale", label: "median s(x)", format: "number", digits: 2 },
    {
      key: "best:correctness",
      label: "best: worked, correctness",
      format: "percent",
      description: "computed",
    },
    { key: "best:uniform", label: "best: worked, uniform s̄", format: "percent", description: "computed" },
    { key: "best:rlev", label: "best: worked, RLEV", format: "percent", description: "computed" },
    {
      key: "decisive",
      label: "value-decisive items",
      format: "percent",
      description: "items where RLEV's best action differs from uniform scaling's",
    },
    {
      key: "stake",
      label: "stake",
      format: "number",
      digits: 3,
      description: "mean expected-reward gap between the two actions on the value-decisive items",
    },
    {
      key: "decisiveWithin",
      label: "value-decisive within k",
      format: "percent",
      description:
        "items where RLEV's best action differs from uniform-by-difficulty's (s̄(k), the mean s(x) of the item's difficulty)",
    },
    {
      key: "withinStake",
      label: "stake within k",
      format: "number",
      digits: 3,
      description: "mean expected-reward gap between the two actions on the items value-decisive within k",
    },
    {
      key: "bestHAcc:uniformByDifficulty",
      label: "H-Acc at best, uniform s̄(k)",
      format: "percent",
      description: "computed: expected H-Acc if every answer took uniform-by-difficulty's best action",
    },
    ...armKeys.map(
      (k): MetricColumn => ({
        key: `bestHAcc:${k}`,
        label: `H-Acc at best, ${armName(k)}`,
        format: "percent",
        description: "computed: expected H-Acc if every answer took this reward's best action",
      }),
    ),
    ...armKeys.map(
      (k): MetricColumn => ({
        key: `measured:${k}`,
        label: `learned: worked, ${armName(k)}`,
        format: "percent",
        description: "measured: worked share of greedy held-out answers after RL, mean over seeds",
      }),
    ),
  ];
  const rows: ResultRow[] = [];
  for (const g of groups) {
    const measured = (steps: number | "all") =>
      Object.fromEntries(
        armKeys.map((k) => {
          const arm = g.arms.find((a) => a.key === k);
          return [`measured:${k}`, arm ? measuredWorked(arm.records, steps) : null];
        }),
      );
    for (const r of g.analysis.rows)
      rows.push({
        label: `k = ${r.steps} (${r.items} items)`,
        group: g.title,
        cells: {
          breakEven: exact(r.breakEven),
          medianScale: exact(r.medianScale),
          "best:correctness": exact(r.bestWorked.correctness),
          "best:uniform": exact(r.bestWorked.uniform),
          "best:rlev": exact(r.bestWorked.rlev),
          decisive: exact(r.valueDecisive),
          stake: exact(r.decisiveStake),
          decisiveWithin: exact(r.valueDecisiveWithin),
          withinStake: exact(r.withinStake),
          "bestHAcc:uniformByDifficulty": exact(r.bestHAcc.uniformByDifficulty),
          ...bestHAccCells(r.bestHAcc),
          ...measured(r.steps),
        },
      });
    const a = g.analysis.all;
    rows.push({
      label: `all (${a.items} items)`,
      group: g.title,
      cells: {
        breakEven: null,
        medianScale: null,
        "best:correctness": exact(a.bestWorked.correctness),
        "best:uniform": exact(a.bestWorked.uniform),
        "best:rlev": exact(a.bestWorked.rlev),
        decisive: exact(a.valueDecisive),
        stake: exact(a.decisiveStake),
        decisiveWithin: exact(a.valueDecisiveWithin),
        withinStake: exact(a.withinStake),
        "bestHAcc:uniformByDifficulty": exact(a.bestHAcc.uniformByDifficulty),
        ...bestHAccCells(a.bestHAcc),
        ...measured("all"),
      },
    });
  }
  const first = groups[0]?.analysis;
  const guess = first ? `right ${(100 * first.directAcc).toFixed(0)}% of the time` : "a guess";
  return {
    caption: `Where the value can change the best action. Reward s·correct − λ·length: a worked answer of a k-step chain (2k + 4 tokens, exact) beats a direct answer (3 tokens, ${guess}) iff s > s*(k) = λ·(2k + 1)/(a_w − a_d). Computed columns: the best action's worked share for correctness (s = 1), uniform scaling (s̄) and RLEV (each item's s(x)) over the train items; value-decisive items are those where RLEV's best action differs from uniform's, with the expected reward at stake, and the H-Acc each reward's best actions would reach. Learned columns: what the policies actually do after RL.`,
    ciMethod:
      "learned columns: the Student-t 95% CI over seeds, clipped to 0–100%; computed columns are exact",
    columns,
    rows,
  };
}
