import { pairedDifference, seedCi } from "../metrics/intervals.js";
import type { Claim, ClaimNumber, ClaimStatus, Estimate } from "../report/types.js";
import { compareTraces, type JobRecord, type TraceComparison } from "./record.js";

/**
 * The paper's claims, judged on per-seed results. Every comparison pairs runs by seed (same
 * warm-up, same seed, same batches), and each verdict follows one rule (`judgeDifference`):
 *
 *   fewer than 2 paired seeds                      → inconclusive (no interval)
 *   the 95% CI of the paired difference is above 0 → reproduced (the direction holds)
 *   the CI lies below the paper's effect size      → not reproduced (the data exclude an effect as
 *     (below 0 when the paper gives no size)          large as the paper's)
 *   otherwise                                      → inconclusive (the CI is too wide to tell)
 *
 * (mirrored for claims of a decrease). The evaluation itself is never tuned to these rules.
 */

/** Per-seed runs of each cell (or arm), keyed by its id. */
export type RunsByCell = ReadonlyMap<string, readonly JobRecord[]>;

export interface Judgement {
  status: ClaimStatus;
  /** Mean paired difference with its 95% CI over seeds (null when no pair exists). */
  estimate: Estimate | null;
  pairs: number;
  reason: string;
}

/** Mean and Student-t 95% CI over seeds of the finite values (mean NaN when there are none). */
const estimateOf = (values: readonly number[]): Estimate => {
  const xs = values.filter(Number.isFinite);
  const ci = seedCi(xs);
  const e: Estimate = { mean: ci.estimate, n: ci.n };
  if (Number.isFinite(ci.lo) && Number.isFinite(ci.hi)) {
    e.lo = ci.lo;
    e.hi = ci.hi;
  }
  return e;
};

/** Judges paired differences `diffs` (a − b per seed) against a claimed direction and the paper's effect. */
export function judgeDifference(
  diffs: readonly number[],
  opts: { direction: "higher" | "lower"; paperEffect?: number | null; minPairs?: number },
): Judgement {
  const xs = diffs.filter(Number.isFinite);
  if (xs.length === 0)
    return { status: "inconclusive", estimate: null, pairs: 0, reason: "no paired runs yet" };
  const est = estimateOf(xs);
  const minPairs = Math.max(2, opts.minPairs ?? 2);
  if (xs.length < minPairs || est.lo === undefined || est.hi === undefined)
    return {
      status: "inconclusive",
      estimate: est,
      pairs: xs.length,
      reason: `${xs.length} paired seed${xs.length === 1 ? "" : "s"}: the direction only, no interval`,
    };
  const sign = opts.direction === "higher" ? 1 : -1;
  // Work in the claimed direction: positive = as claimed.
  const lo = sign === 1 ? est.lo : -est.hi;
  const hi = sign === 1 ? est.hi : -est.lo;
  const effect = opts.paperEffect === undefined || opts.paperEffect === null ? 0 : sign * opts.paperEffect;
  if (lo > 0)
    return {
      status: "reproduced",
      estimate: est,
      pairs: xs.length,
      reason: "the 95% CI excludes 0 in the claimed direction",
    };
  if (hi < Math.max(effect, 0))
    return {
      status: "not reproduced",
      estimate: est,
      pairs: xs.length,
      reason:
        effect > 0
          ? "the 95% CI excludes an effect as large as the paper's"
          : "the 95% CI excludes 0 against the claimed direction",
    };
  return {
    status: "inconclusive",
    estimate: est,
    pairs: xs.length,
    reason: "the 95% CI includes both 0 and the paper's effect",
  };
}

/** Per-seed differences a − b of a statistic, over the seeds both cells have. */
export function pairedBySeed(
  runs: RunsByCell,
  a: string,
  b: string,
  stat: (r: JobRecord) => number,
): { seeds: number[]; diffs: number[]; a: number[]; b: number[] } {
  const bySeed = new Map((runs.get(b) ?? []).map((r) => [r.seed, r]));
  const out = { seeds: [] as number[], diffs: [] as number[], a: [] as number[], b: [] as number[] };
  for (const ra of [...(runs.get(a) ?? [])].sort((x, y) => x.seed - y.seed)) {
    const rb = bySeed.get(ra.seed);
    if (!rb) continue;
    out.seeds.push(ra.seed);
    out.a.push(stat(ra));
    out.b.push(stat(rb));
    out.diffs.push(stat(ra) - stat(rb));
  }
  return out;
}

/** Mean over difficulties of (high-value − low-value) group statistic: value sensitivity at equal difficulty. */
export function withinDifficultyGap(r: JobRecord, field: "length" | "worked" | "acc"): number {
  const rows = r.final.withinDifficulty.filter((d) => d.low.n > 0 && d.high.n > 0);
  if (rows.length === 0) return Number.NaN;
  return rows.reduce((s, d) => s + d.high[field] - d.low[field], 0) / rows.length;
}

/**
 * Per seed, the step-1 EOS-gradient magnitude of arm `a` over that of arm `b` in each value
 * bucket. At step 1 both arms of a seed have the warm-up policy and draw the same samples, so the
 * ratio isolates the reward: under RLOO with R = s(x)·c it is the gradient-weighted mean of s(x)
 * in the bucket (less where a length cost, which s does not scale, enters the reward).
 */
export function firstStepGradientRatios(
  runs: RunsByCell,
  a: string,
  b: string,
): Array<{ seed: number; ratios: number[] }> {
  const bySeed = new Map((runs.get(b) ?? []).map((r) => [r.seed, r]));
  const out: Array<{ seed: number; ratios: number[] }> = [];
  for (const ra of [...(runs.get(a) ?? [])].sort((x, y) => x.seed - y.seed)) {
    const rb = bySeed.get(ra.seed);
    const fa = ra.eosGradient.firstStep;
    const fb = rb?.eosGradient.firstStep;
    if (!fa || !fb) continue;
    out.push({ seed: ra.seed, ratios: fa.map((g, i) => (fb[i] > 0 ? g / fb[i] : Number.NaN)) });
  }
  return out;
}

export const hAccOf = (r: JobRecord) => r.final.hAcc;
export const accOf = (r: JobRecord) => r.final.acc;
/** A level that is a share (H-Acc, Acc): its t-interval over few seeds is clipped to [0, 1]. */
const shareEstimateOf = (values: readonly number[]): Estimate => {
  const e = estimateOf(values);
  return e.lo === undefined || e.hi === undefined
    ? e
    : { ...e, lo: Math.max(0, e.lo), hi: Math.min(1, e.hi) };
};

export const lengthOf = (r: JobRecord) => r.final.meanLength;

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

export function claimNumber(
  label: string,
  value: Estimate | null,
  format?: ClaimNumber["format"],
  digits?: number,
): ClaimNumber {
  return { label, value: value && Number.isFinite(value.mean) ? value : "no data", format, digits };
}

/** One "A beats B on H-Acc" claim of the paper. */
export function hAccClaim(
  runs: RunsByCell,
  opts: {
    id: string;
    claim: string;
    paper: string;
    paperEffect: number | null;
    a: string;
    b: string;
    labelA: string;
    labelB: string;
  },
): Claim {
  const p = pairedBySeed(runs, opts.a, opts.b, hAccOf);
  const j = judgeDifference(p.diffs, { direction: "higher", paperEffect: opts.paperEffect });
  const len = pairedBySeed(runs, opts.a, opts.b, lengthOf);
  const missing = !runs.get(opts.a)?.length || !runs.get(opts.b)?.length;
  return {
    id: opts.id,
    claim: opts.claim,
    paper: opts.paper,
    status: j.status,
    evidence: missing
      ? `not run yet: ${[opts.a, opts.b].filter((c) => !runs.get(c)?.length).join(", ")} has no finished seed`
      : `${opts.labelA} − ${opts.labelB}, paired over ${j.pairs} seed${j.pairs === 1 ? "" : "s"}: ${j.reason}.`,
    numbers: [
      claimNumber(`Δ H-Acc (${opts.labelA} − ${opts.labelB})`, j.estimate, "percent"),
      claimNumber("Δ mean length (tokens)", len.diffs.length ? estimateOf(len.diffs) : null, "number", 2),
      claimNumber(`H-Acc ${opts.labelA}`, p.a.length ? shareEstimateOf(p.a) : null, "percent"),
      claimNumber(`H-Acc ${opts.labelB}`, p.b.length ? shareEstimateOf(p.b) : null, "percent"),
    ],
  };
}

/**
 * The gain averaged over estimators at one size: per seed, the mean over estimators of
 * (RLEV − correctness) H-Acc, then the CI over seeds.
 */
export function gainAcrossEstimators(
  runs: RunsByCell,
  pairs: ReadonlyArray<{ rlev: string; correctness: string }>,
): number[] {
  const perSeed = new Map<number, number[]>();
  for (const { rlev, correctness } of pairs) {
    const p = pairedBySeed(runs, rlev, correctness, hAccOf);
    p.seeds.forEach((s, i) => {
      perSeed.set(s, [...(perSeed.get(s) ?? []), p.diffs[i]]);
    });
  }
  // Only seeds that every pair has, so each seed averages the same estimators.
  return [...perSeed.entries()]
    .filter(([, d]) => d.length === pairs.length)
    .sort((x, y) => x[0] - y[0])
    .map(([, d]) => d.reduce((s, x) => s + x, 0) / d.length);
}

export interface IdentityReport {
  seeds: number;
  /** Seeds whose runs sample the same responses at every step and score the same held-out answers. */
  sameBehaviour: number;
  /** Seeds whose runs are bit-identical: every logged statistic and the final weights. */
  bitIdentical: number;
  details: Array<
    TraceComparison & {
      seed: number;
      sameWeights: boolean;
      sameFinalEval: boolean;
    }
  >;
}

/** Whether two cells' runs are the same run, step by step and at the end, per seed. */
export function compareRunsStepByStep(runs: RunsByCell, a: string, b: string): IdentityReport {
  const bySeed = new Map((runs.get(b) ?? []).map((r) => [r.seed, r]));
  const details: IdentityReport["details"] = [];
  for (const ra of [...(runs.get(a) ?? [])].sort((x, y) => x.seed - y.seed)) {
    const rb = bySeed.get(ra.seed);
    if (!rb) continue;
    const fa = ra.final;
    const fb = rb.final;
    details.push({
      ...compareTraces(ra.trace, rb.trace),
      seed: ra.seed,
      sameWeights: ra.finalDigest === rb.finalDigest,
      sameFinalEval: fa.acc === fb.acc && fa.hAcc === fb.hAcc && fa.meanLength === fb.meanLength,
    });
  }
  return {
    seeds: details.length,
    sameBehaviour: details.filter((d) => d.firstBehaviourDifference === null && d.sameFinalEval).length,
    bitIdentical: details.filter((d) => d.firstDifference === null && d.sameWeights).length,
    details,
  };
}

/**
 * The std-normalized GRPO identity as a claim (the algebra of docs/method.md#grpo-cancels-the-value; the paper reports GRPO gains).
 * "Exactly the baseline's run" is judged on behaviour: the same sampled responses at every step
 * (mean score and length) and the same held-out answers. Bit identity of losses and weights is
 * reported beside it: the advantages differ by ε/s(x) and float rounding, so it need not hold.
 */
export function grpoIdentityClaim(runs: RunsByCell, rlev: string, correctness: string): Claim {
  const rep = compareRunsStepByStep(runs, rlev, correctness);
  let status: ClaimStatus;
  let evidence: string;
  const steps = rep.details.reduce((s, d) => s + d.steps, 0);
  const maxRel = Math.max(0, ...rep.details.map((d) => d.maxLossRelDiff));
  const rounding = `Bit-identical (losses, gradient norms and final weights): ${rep.bitIdentical} of ${rep.seeds} seeds; the largest relative difference of a step's policy loss or gradient norm (magnitudes below 1e-6 compared absolutely) is ${maxRel.toExponential(1)} (the advantages are (c − mean)/(std + ε/s(x)) instead of (c − mean)/(std + ε), plus float rounding).`;
  if (rep.seeds === 0) {
    status = "inconclusive";
    evidence = `not run yet: ${rlev} and ${correctness} share no finished seed`;
  } else if (rep.sameBehaviour === rep.seeds && rep.seeds < 2) {
    status = "inconclusive";
    evidence = `only ${rep.seeds} seed so far (identical rollouts at every step and the same held-out answers); at least 2 seeds are needed for a verdict. ${rounding}`;
  } else if (rep.sameBehaviour === rep.seeds) {
    status = "reproduced";
    evidence = `${rep.sameBehaviour} of ${rep.seeds} seeds: the same rollouts at every one of ${steps} steps (mean score and length per step equal) and the same held-out answers. ${rounding}`;
  } else {
    status = "not reproduced";
    const diverged = rep.details.filter((d) => d.firstBehaviourDifference !== null || !d.sameFinalEval);
    evidence = `${rep.sameBehaviour} of ${rep.seeds} seeds behave identically; ${diverged
      .map(
        (d) =>
          `seed ${d.seed}: rollouts identical for ${d.sameBehaviourSteps}/${d.steps} steps (first difference at step ${d.firstBehaviourDifference ?? "-"}, largest per-step score gap ${pct(d.maxScoreDiff)} points)${d.sameFinalEval ? "" : ", different held-out answers"}`,
      )
      .join("; ")}. ${rounding}`;
  }
  return {
    id: "grpo-identity",
    claim:
      "Under std-normalized GRPO, RLEV gives exactly the correctness-only run for the same seed (s(x) cancels)",
    paper: "not in the paper (it reports a GRPO gain, 56.0 → 57.7 H-Acc); spec §2's algebra",
    status,
    evidence,
    numbers: [
      { label: "seeds with identical behaviour", value: `${rep.sameBehaviour} / ${rep.seeds}` },
      { label: "bit-identical seeds", value: `${rep.bitIdentical} / ${rep.seeds}` },
      {
        label: "steps with identical rollouts",
        value: `${rep.details.reduce((s, d) => s + d.sameBehaviourSteps, 0)} / ${steps}`,
      },
    ],
  };
}

/** Length: the paper's "RLEV answers shorter" and whether it is value or scale. */
export function lengthClaims(
  runs: RunsByCell,
  c: { rlev: string; correctness: string; uniform: string },
): Claim[] {
  const vsCorr = pairedBySeed(runs, c.rlev, c.correctness, lengthOf);
  const jc = judgeDifference(vsCorr.diffs, { direction: "lower" });
  const vsUni = pairedBySeed(runs, c.rlev, c.uniform, lengthOf);
  const uniVsCorr = pairedBySeed(runs, c.uniform, c.correctness, lengthOf);
  const gapR = pairedBySeed(runs, c.rlev, c.correctness, (r) => withinDifficultyGap(r, "length"));
  const jg = judgeDifference(gapR.diffs, { direction: "higher" });
  const workedGap = pairedBySeed(runs, c.rlev, c.correctness, (r) => withinDifficultyGap(r, "worked"));
  const lenEst = (xs: number[]) => (xs.length ? estimateOf(xs) : null);
  const worked = (cell: string) => (runs.get(cell) ?? []).map((r) => r.final.workedShare);
  const share = (cell: string) => {
    const xs = worked(cell);
    return xs.length ? `${pct(xs.reduce((a, b) => a + b, 0) / xs.length)}%` : "n/a";
  };
  const ceiling = worked(c.rlev).length > 0 && worked(c.rlev).every((w) => w > 0.98 || w < 0.02);
  const scaleOnly =
    jc.status === "reproduced" &&
    vsUni.diffs.length >= 2 &&
    (() => {
      const e = estimateOf(vsUni.diffs);
      return e.lo !== undefined && e.hi !== undefined && e.lo <= 0 && e.hi >= 0;
    })();
  return [
    {
      id: "length",
      claim: "RLEV gives shorter responses than correctness-only",
      paper: "RLOO 7B: 186.2 → 86.4 tokens (uniform scaling: 358)",
      status: jc.status,
      evidence: `RLEV − correctness, paired over ${jc.pairs} seeds: ${jc.reason}.${
        scaleOnly
          ? " RLEV and its matched-scale control (uniform) do not differ in length: the difference is a scale effect."
          : ""
      }`,
      numbers: [
        claimNumber("Δ length RLEV − correctness (tokens)", jc.estimate, "number", 2),
        claimNumber("Δ length RLEV − uniform (tokens)", lenEst(vsUni.diffs), "number", 2),
        claimNumber("Δ length uniform − correctness (tokens)", lenEst(uniVsCorr.diffs), "number", 2),
      ],
    },
    {
      id: "value-sensitive-length",
      claim:
        "The length allocation is value-sensitive: at equal difficulty, RLEV answers high-value items at more length (relative to low-value ones) than correctness-only does",
      paper: "low-value prompts stop earlier, high-value ones later (EOS mechanism)",
      status: jg.status,
      evidence: `Per seed, the mean over difficulties of (top − bottom value third) length, RLEV minus correctness, paired over ${jg.pairs} seeds: ${jg.reason}. Worked share (mean over seeds): RLEV ${share(c.rlev)}, uniform ${share(c.uniform)}, correctness ${share(c.correctness)}${
        ceiling
          ? "; RLEV works (nearly) every question, so there is no allocation left to be value-sensitive"
          : ""
      }.`,
      numbers: [
        claimNumber("Δ within-difficulty length gap (tokens)", jg.estimate, "number", 2),
        claimNumber("Δ within-difficulty worked-share gap", lenEst(workedGap.diffs), "percent"),
        claimNumber("RLEV high − low length (tokens)", lenEst(gapR.a), "number", 2),
        claimNumber("correctness high − low length (tokens)", lenEst(gapR.b), "number", 2),
      ],
    },
  ];
}

/**
 * H-Acc at equal length, difficulty held fixed: RLEV's within-difficulty value gain (see
 * record.ts, `withinDifficultyValueGain`) against its matched-scale control's, paired by seed.
 */
export function valueGainClaim(
  runs: RunsByCell,
  c: { rlev: string; uniform: string; correctness?: string },
): Claim {
  const gain = (r: JobRecord) => r.final.valueGain ?? Number.NaN;
  const p = pairedBySeed(runs, c.rlev, c.uniform, gain);
  // The paper's H-Acc gain over its matched-scale control (58.9 vs 55.1) is the effect to detect.
  const j = judgeDifference(p.diffs, { direction: "higher", paperEffect: 0.038 });
  const vsCorr = c.correctness ? pairedBySeed(runs, c.rlev, c.correctness, gain) : null;
  const est = (xs: number[]) => (xs.some(Number.isFinite) ? estimateOf(xs) : null);
  return {
    id: "value-gain",
    claim:
      "At equal difficulty and length, RLEV puts its correct answers on the more valuable questions (H-Acc at equal length)",
    paper: "RLOO 7B: RLEV 58.9 vs uniform 55.1 H-Acc (at 86 vs 358 tokens)",
    status: j.status,
    evidence: `Value gain = H-Acc minus that of a value-blind policy with the same accuracy in every difficulty (so the same length per difficulty, in expectation). RLEV − uniform (matched scale), paired over ${j.pairs} seeds: ${j.reason}.`,
    numbers: [
      claimNumber("Δ value gain RLEV − uniform", j.estimate, "percent"),
      claimNumber("Δ value gain RLEV − correctness", vsCorr ? est(vsCorr.diffs) : null, "percent"),
      claimNumber("value gain RLEV", est(p.a), "percent"),
      claimNumber("value gain uniform", est(p.b), "percent"),
    ],
  };
}

/**
 * The mechanism: s(x) scales the gradient on the EOS logit. Measured at step 1 (same policy, same
 * samples): the ratio of RLEV's to correctness's gradient magnitude should rise from the lowest-
 * to the highest-value bucket. Judged on (top-bucket ratio − bottom-bucket ratio) over seeds.
 */
export function eosGradientClaim(runs: RunsByCell, rlev: string, correctness: string, lengthCost = 0): Claim {
  const perSeed = firstStepGradientRatios(runs, rlev, correctness);
  const diffs = perSeed.map((s) => s.ratios[s.ratios.length - 1] - s.ratios[0]);
  const j = judgeDifference(diffs, { direction: "higher" });
  const buckets = perSeed[0]?.ratios.length ?? 0;
  const byBucket = Array.from({ length: buckets }, (_, b) => perSeed.map((s) => s.ratios[b]));
  return {
    id: lengthCost > 0 ? "eos-gradient-length-cost" : "eos-gradient",
    claim: `The value scales the gradient on the end-of-sequence logit (∂J/∂z_eos = s(x)·π_e(1−π_e)(p_e − p_¬e))${
      lengthCost > 0 ? ", also with a length cost in the reward" : ""
    }`,
    paper: "derived, not measured",
    status: j.status,
    evidence: `${rlev} vs ${correctness}. At step 1 (both arms still the warm-up policy, same samples), the ratio of RLEV's to correctness's mean |∂/∂z_eos| per prompt in each value tercile of the train set; judged on highest- minus lowest-tercile ratio, over ${j.pairs} seeds: ${j.reason}.${
      lengthCost > 0
        ? ` Both rewards here carry a length cost of ${lengthCost} per token, which s(x) does not scale, so the ratio is diluted towards 1 where length dominates the advantage.`
        : ""
    }`,
    numbers: [
      claimNumber("Δ ratio (highest − lowest value tercile)", j.estimate, "number", 2),
      ...byBucket.map((xs, b) =>
        claimNumber(
          `ratio RLEV / correctness, tercile ${b + 1}`,
          xs.some(Number.isFinite) ? estimateOf(xs) : null,
          "number",
          2,
        ),
      ),
    ],
  };
}

/** A plain summary of a claim's verdict for the terminal and the README. */
/** A claim number as text: "12.3 [10.1, 14.5] (n=5)" (percent points for shares). */
export function numberText(n: ClaimNumber): string {
  if (typeof n.value !== "object") return String(n.value);
  const e = n.value;
  const f = (x: number) => (n.format === "percent" ? `${(100 * x).toFixed(1)}` : x.toFixed(n.digits ?? 2));
  return `${f(e.mean)}${e.lo !== undefined && e.hi !== undefined ? ` [${f(e.lo)}, ${f(e.hi)}]` : ""}${
    e.n !== undefined ? ` (n=${e.n})` : ""
  }`;
}

export function claimLine(c: Claim): string {
  const first = c.numbers?.[0];
  const value = first && typeof first.value === "object" ? ` ${first.label} ${numberText(first)}` : "";
  return `${c.status.toUpperCase().padEnd(15)} ${c.claim}.${value}`;
}

/** The claims as a Markdown table (verdict, claim, paper, the numbers), for the README. */
export function claimsMarkdown(claims: readonly Claim[]): string {
  const esc = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const rows = claims.map(
    (c) =>
      `| **${c.status}** | ${esc(c.claim)} | ${esc(c.paper ?? "")} | ${esc(
        (c.numbers ?? []).map((n) => `${n.label}: ${numberText(n)}`).join("; "),
      )} |`,
  );
  return `| verdict | claim | paper | measured (95% CI over seeds) |\n|---|---|---|---|\n${rows.join("\n")}\n`;
}

export { estimateOf, pairedDifference };
